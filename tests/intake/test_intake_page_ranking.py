"""The staff intake page: each reason with its points, the decisive ones marked, and the
ruleset that screened the intake."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conditions.rulesets import KNEE_V1
from intake.models import AppointmentRequest, Intake
from staff.roles import THERAPIST
from tests.factories import dislocation_answers, runners_knee_answers, screened_with
from tests.intake.staff import client_for, submit_intake

pytestmark = pytest.mark.django_db

RUNNERS_KNEE = runners_knee_answers()
DISLOCATION = dislocation_answers()


def intake_page(appointment_request: AppointmentRequest) -> str:
    url = reverse("admin:intake_intake_change", args=[appointment_request.intake_id])
    return client_for(THERAPIST).get(url).content.decode()


def test_the_intake_page_shows_each_reasons_points_and_marks_the_decisive_ones() -> None:
    appointment_request = submit_intake(answers=RUNNERS_KNEE)
    html = intake_page(appointment_request)
    assert "screened with ruleset knee-v2;" in html
    assert "new intakes use" not in html
    assert '<span class="reason-points">+1.20</span> Pain around the kneecap made worse by' in html
    assert '<li class="reason-decisive"><span class="reason-points">+1.20</span>' in html
    assert "(2.25 points)" in html


def test_the_intake_page_names_an_older_ruleset_and_the_current_one() -> None:
    appointment_request = screened_with(KNEE_V1, submit_intake(answers=DISLOCATION))
    html = intake_page(appointment_request)
    assert "screened with ruleset knee-v1; new intakes use knee-v2;" in html


def test_a_result_stored_before_reasons_had_points_still_shows_its_reasons() -> None:
    appointment_request = submit_intake(answers=RUNNERS_KNEE)
    stored = appointment_request.intake.prescreen
    for category in stored["categories"]:
        del category["points"], category["evidence"]
    Intake.objects.filter(pk=appointment_request.intake_id).update(prescreen=stored)
    html = intake_page(appointment_request)
    assert "Pain around the kneecap made worse by" in html
    assert "reason-points" not in html
    assert "Decisive" not in html
