"""A patient on a phone goes through the intake: the whole way using the knee diagram, and
the red-flag way to the emergency advice."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from conditions.categories import Triage
from intake.models import AppointmentRequest
from intake.questionnaire import SAFETY
from tests.e2e.patient import answer_step, complete_intake, press
from tests.e2e.support import E2E, Screen
from tests.factories import valid_answers

pytestmark = E2E

LOCATION = "Riverside"


def test_patient_completes_an_intake_with_the_knee_diagram(site: str, screen: Screen) -> None:
    page = screen.page
    answers = valid_answers(pain_location=["front", "inner", "back", "inner_below"])
    page.goto(site + reverse("intake:home"))
    screen.shot("home")
    page.get_by_role("link", name="Start your intake").first.tap()

    reference = complete_intake(
        page, answers, location=LOCATION, on_page=screen.shot, diagram_keyboard=("inner",)
    )

    sent = AppointmentRequest.objects.select_related("intake").get(reference=reference)
    assert sent.intake.answers["pain_location"] == answers["pain_location"]
    assert screen.csp_violations == []


def test_red_flag_patient_sees_the_emergency_page(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))

    answer_step(page, SAFETY, valid_answers(rf_cannot_bear_weight=True))
    press(page, "Continue")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Call {settings.EMERGENCY_NUMBER}")
    expect(page.get_by_role("link", name=settings.CLINIC_PHONE).first).to_be_visible()
    screen.shot("emergency")
    assert screen.csp_violations == []


def test_emergency_patient_can_still_send_their_details(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))

    reference = complete_intake(
        page, valid_answers(rf_numb_cold_foot=True), location=LOCATION, on_page=screen.shot
    )

    sent = AppointmentRequest.objects.select_related("intake").get(reference=reference)
    assert sent.intake.triage == Triage.EMERGENCY
    expect(
        page.get_by_role("heading", level=2, name=f"Call {settings.EMERGENCY_NUMBER}")
    ).to_be_visible()
