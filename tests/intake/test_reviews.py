"""Therapists review intakes and write referrals, through the admin as they would."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from conditions.categories import Category
from intake.models import Intake, Referral, Review
from intake.selectors.dashboard import prescreen_agreement
from intake.services.reviews import review_record
from staff.roles import THERAPIST
from tests.factories import valid_answers
from tests.intake.staff import staff_user, submit_intake, urgent_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist() -> AbstractBaseUser:
    return staff_user(THERAPIST, first_name="Theo", last_name="Therapist")


@pytest.fixture
def client(therapist: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(therapist)
    return client


@pytest.fixture
def intake() -> Intake:
    return urgent_request().intake


def review_url(intake: Intake) -> str:
    return reverse("admin:intake_intake_review", args=[intake.pk])


def test_agreeing_records_the_prescreen_category_and_marks_the_intake_reviewed(
    client: Client, therapist: AbstractBaseUser, intake: Intake
) -> None:
    response = client.post(review_url(intake), {"agrees": "yes"}, follow=True)
    review = Review.objects.get()
    intake.refresh_from_db()
    assert (review.reviewer, review.agrees, review.category) == (
        therapist,
        True,
        intake.top_category,
    )
    assert intake.reviewed_at == review.created_at
    assert "Your review is recorded." in response.content.decode()


def test_choosing_another_category_needs_a_note(client: Client, intake: Intake) -> None:
    other = next(code for code in Category.values if code != intake.top_category)
    response = client.post(review_url(intake), {"agrees": "no", "category": other})
    intake.refresh_from_db()
    assert response.status_code == 200
    assert "Say why you chose a different category." in response.content.decode()
    assert not Review.objects.exists()
    assert intake.reviewed_at is None


def test_choosing_another_category_with_a_note_is_kept_for_the_agreement_rate(
    client: Client, intake: Intake
) -> None:
    other = next(code for code in Category.values if code != intake.top_category)
    client.post(
        review_url(intake), {"agrees": "no", "category": other, "note": "Sounds like bursitis."}
    )
    review = Review.objects.get()
    assert (review.agrees, review.category, review.prescreen_category) == (
        False,
        other,
        intake.top_category,
    )


def test_disagreeing_with_the_same_category_is_refused(client: Client, intake: Intake) -> None:
    response = client.post(
        review_url(intake), {"agrees": "no", "category": intake.top_category, "note": "Hmm"}
    )
    assert "That is the pre-screen&#x27;s category" in response.content.decode()
    assert not Review.objects.exists()


def test_a_later_review_keeps_the_time_of_the_first(
    therapist: AbstractBaseUser, intake: Intake
) -> None:
    review_record(intake=intake, reviewer=therapist, agrees=True)
    first = Intake.objects.get(pk=intake.pk).reviewed_at
    review_record(intake=intake, reviewer=therapist, agrees=True)
    assert Intake.objects.get(pk=intake.pk).reviewed_at == first
    assert Review.objects.count() == 2


def test_the_intake_page_shows_red_flags_first_then_ranking_then_answers(
    client: Client, intake: Intake
) -> None:
    html = client.get(reverse("admin:intake_intake_change", args=[intake.pk])).content.decode()
    flag = intake.prescreen["red_flags"][0]["reason"]
    top_reason = intake.prescreen["categories"][0]["reasons"][0]
    question = "Is your knee stuck so that you cannot straighten it all the way?"
    option = "I twisted or turned while my foot stayed planted"
    positions = [html.index(text) for text in (flag, top_reason, question, option)]
    assert positions == sorted(positions)
    assert "On the inner side of the knee" in html  # the chosen region, in patient wording
    assert 'Yes <span class="status-badge status-overdue">Red flag</span>' in html


def test_referral_prints_a_letter_with_patient_reason_red_flags_and_impression(
    client: Client, intake: Intake
) -> None:
    response = client.post(
        reverse("admin:intake_intake_referral", args=[intake.pk]),
        {
            "destination": "orthopaedic_surgeon",
            "reason": "Locked knee after a twisting injury.",
            "impression": "Likely meniscal tear.",
        },
        follow=True,
    )
    referral = Referral.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:intake_referral_letter", args=[referral.pk]
    )
    for text in (
        "Dana Quill",
        "17 May 1990",
        "Orthopedic surgeon",
        "Locked knee after a twisting injury.",
        "Likely meniscal tear.",
        intake.prescreen["red_flags"][0]["reason"],
        "Theo Therapist",
    ):
        assert text in html
    assert 'id="header"' not in html  # the letter, not the admin around it
    assert "style=" not in html  # the CSP forbids inline styles


def test_referral_without_a_reason_is_not_saved(client: Client, intake: Intake) -> None:
    response = client.post(
        reverse("admin:intake_intake_referral", args=[intake.pk]),
        {"destination": "imaging", "reason": "   "},
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_agreement_rate_is_measured_overall_and_per_prescreen_category(
    therapist: AbstractBaseUser,
) -> None:
    intakes = [submit_intake(answers=valid_answers()).intake for _ in range(3)]
    top = intakes[0].top_category
    other = next(code for code in Category.values if code != top)
    review_record(intake=intakes[0], reviewer=therapist, agrees=True)
    review_record(intake=intakes[1], reviewer=therapist, agrees=True)
    review_record(intake=intakes[2], reviewer=therapist, agrees=False, category=other, note="x")
    agreement = prescreen_agreement()
    assert (agreement.overall.agreed, agreement.overall.total) == (2, 3)
    assert agreement.overall.percent == 67
    assert agreement.by_category == [(Category(top).label, agreement.overall)]


def test_assign_to_me_from_the_queue(client: Client, therapist: AbstractBaseUser) -> None:
    intake = urgent_request().intake
    client.post(
        reverse("admin:intake_intake_changelist"),
        {"action": "assign_to_me", "_selected_action": [intake.pk]},
    )
    intake.refresh_from_db()
    assert intake.assigned_to == therapist
