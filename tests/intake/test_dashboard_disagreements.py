"""Agreement the clinic can act on: the pre-screen against the therapists' categories, per
therapist and per ruleset, and the reasons that fired where they disagreed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.rulesets import KNEE_V1
from intake.models import AppointmentRequest
from intake.selectors.dashboard import (
    NO_CATEGORY,
    agreement_by_ruleset,
    agreement_by_therapist,
    recent_disagreements,
    review_matrix,
)
from intake.services.reviews import review_record
from staff.roles import FRONT_DESK, THERAPIST
from tests.factories import dislocation_answers, runners_knee_answers, screened_with, valid_answers
from tests.intake.staff import client_for, staff_user, submit_intake

pytestmark = pytest.mark.django_db

RUNNERS_KNEE = runners_knee_answers()
DISLOCATION = dislocation_answers()
# A fall with nothing else to go on, and a red flag: the pre-screen ranks no category.
NOTHING_RANKED = valid_answers(
    rf_calf_swelling=True,
    onset="injury",
    injury_mechanism=["fall"],
    felt_pop=False,
    swelling_after_injury="none",
    rapid_bruising=False,
    pain_location=["whole"],
    aggravators=[],
)


def therapist(first: str, last: str) -> AbstractBaseUser:
    user: AbstractBaseUser = staff_user(THERAPIST, first_name=first, last_name=last)
    return user


def review(
    appointment_request: AppointmentRequest, by: AbstractBaseUser, category: str | None = None
) -> None:
    """`by` agrees with the pre-screen, or chooses `category` instead."""
    if category is None:
        review_record(intake=appointment_request.intake, reviewer=by, agrees=True)
    else:
        review_record(
            intake=appointment_request.intake,
            reviewer=by,
            agrees=False,
            category=category,
            note=f"Reads as {category}.",
        )


@pytest.fixture
def reviewed() -> dict[str, Any]:
    """Four reviews by two therapists, one intake screened with knee-v1."""
    ada, ben = therapist("Ada", "Adams"), therapist("Ben", "Brown")
    runners_knee = submit_intake(answers=RUNNERS_KNEE)
    dislocation = screened_with(KNEE_V1, submit_intake(answers=DISLOCATION))
    nothing = submit_intake(answers=NOTHING_RANKED)
    review(runners_knee, ada)
    review(dislocation, ada, "anatomical")
    review(runners_knee, ben, "gait")
    review(nothing, ben, "cartilage")
    return {"dislocation": dislocation, "runners_knee": runners_knee, "ada": ada, "ben": ben}


def test_the_matrix_counts_each_review_by_the_pre_screens_and_the_therapists_category(
    reviewed: dict[str, Any],
) -> None:
    matrix = review_matrix()
    assert matrix.total == 4
    assert matrix.counts == {
        ("patellofemoral", "patellofemoral"): 1,
        ("tendon_ligament", "anatomical"): 1,
        ("patellofemoral", "gait"): 1,
        ("", "cartilage"): 1,
    }
    # Every category as a row and a column, and a row for intakes it ranked nothing for.
    assert [code for code, _ in matrix.columns] == [code for code, _ in matrix.rows[:-1]]
    assert matrix.rows[-1] == ("", NO_CATEGORY)
    table = dict(matrix.table)
    patellofemoral = table["Runner's knee (patellofemoral pain)"]
    columns = [code for code, _ in matrix.columns]
    assert patellofemoral[columns.index("patellofemoral")] == (1, True)
    assert patellofemoral[columns.index("gait")] == (1, False)
    assert sum(count for count, _ in patellofemoral) == 2


def test_no_row_for_unranked_intakes_when_there_are_none() -> None:
    review(submit_intake(answers=RUNNERS_KNEE), therapist("Ada", "Adams"))
    assert ("", NO_CATEGORY) not in review_matrix().rows


def test_agreement_per_therapist_by_name(reviewed: dict[str, Any]) -> None:
    rates = {name: (rate.agreed, rate.total) for name, rate in agreement_by_therapist()}
    # Ben's review of an intake ranked nothing is not counted, as in the overall rate.
    assert rates == {"Ada Adams": (1, 2), "Ben Brown": (0, 1)}


def test_agreement_per_ruleset_the_intakes_were_screened_with(reviewed: dict[str, Any]) -> None:
    rates = {ruleset: (rate.agreed, rate.total) for ruleset, rate in agreement_by_ruleset()}
    assert rates == {"knee-v1": (0, 1), "knee-v2": (1, 2)}


def test_each_disagreement_shows_the_reasons_that_fired_for_both_categories(
    reviewed: dict[str, Any],
) -> None:
    disagreements = recent_disagreements()
    assert [case.reference for case in disagreements][:1] == [
        AppointmentRequest.objects.get(intake__reviews__category="cartilage").reference
    ]
    case = next(case for case in disagreements if case.ruleset == "knee-v1")
    assert (case.prescreen_name, case.therapist_name) == (
        "Damaged tendons or ligaments",
        "Anatomical differences",
    )
    assert case.note == "Reads as anatomical."
    assert case.prescreen_category is not None
    reasons = case.prescreen_category.reasons
    assert any("ACL" in reason.text and reason.decisive for reason in reasons)
    assert all(reason.points is not None for reason in reasons)
    # What knee-v1 had found for the therapist's category: the dislocation, weakly.
    assert case.therapist_category is not None
    assert any("dislocation" in reason.text for reason in case.therapist_category.reasons)
    unranked = next(case for case in disagreements if case.prescreen_name == NO_CATEGORY)
    assert unranked.prescreen_category is None


def test_the_latest_disagreements_come_first_and_are_limited() -> None:
    ada = therapist("Ada", "Adams")
    appointment_requests = [submit_intake(answers=RUNNERS_KNEE) for _ in range(3)]
    for appointment_request in appointment_requests:
        review(appointment_request, ada, "gait")
    shown = recent_disagreements(limit=2)
    assert [case.reference for case in shown] == [
        r.reference for r in reversed(appointment_requests)
    ][:2]


def test_the_dashboard_shows_the_matrix_the_therapists_and_the_disagreements(
    reviewed: dict[str, Any],
) -> None:
    html = client_for(THERAPIST).get(reverse("admin:index")).content.decode()
    assert "The pre-screen's top category against the therapists' (4 reviews)" in html
    assert '<td class="matrix-agree">1</td>' in html
    assert "<td>Ada Adams</td><td>1 of 2</td><td>50%</td>" in html
    assert "<td>knee-v1</td><td>0 of 1</td><td>0%</td>" in html
    dislocation = reviewed["dislocation"]
    change_page = reverse("admin:intake_intake_change", args=[dislocation.intake_id])
    assert f'<a href="{change_page}">{dislocation.reference}</a>' in html
    assert "Why the pre-screen ranked Damaged tendons or ligaments first" in html
    assert "Decisive" in html
    assert "“Reads as anatomical.”" in html
    assert "style=" not in html.split('id="content"')[1]  # the CSP forbids inline styles


def test_the_front_desk_sees_no_clinical_agreement(reviewed: dict[str, Any]) -> None:
    html = client_for(FRONT_DESK).get(reverse("admin:index")).content.decode()
    assert "against the therapists'" not in html
    assert "Reads as anatomical" not in html


def test_the_dashboard_costs_the_same_queries_however_many_disagreements() -> None:
    client = client_for(THERAPIST)
    ada = therapist("Ada", "Adams")

    def queries() -> int:
        client.get(reverse("admin:index"))  # warm the session and caches
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(context.captured_queries)

    review(submit_intake(answers=RUNNERS_KNEE), ada, "gait")
    with_one = queries()
    for _ in range(6):
        review(submit_intake(answers=DISLOCATION), ada, "cartilage")
    assert queries() == with_one
