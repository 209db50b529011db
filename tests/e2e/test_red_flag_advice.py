"""A patient on a phone (CSP enforced; the accessibility checks of these pages are in
test_accessibility.py) with a red flag: the advice shows the moment they tap Yes, a Continue
with every other safety question unanswered shows the advice page, and the rest of the
intake still goes through with every answer kept. A derived red flag shows its advice right
after the knee step."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from intake.advice import flag_advice
from intake.models import AppointmentRequest
from intake.questionnaire import KNEE, KNEE_V1, SAFETY
from tests.e2e.patient import answer, answer_step, complete_intake, pick_on_knee_diagram, press
from tests.e2e.support import E2E, Screen
from tests.factories import valid_answers

pytestmark = E2E

LOCATION = "Riverside"
FIRST = KNEE_V1.items_in(SAFETY)[0]  # hot, swollen knee with a fever: emergency


def test_tapping_yes_shows_the_advice_at_once_and_continue_shows_the_advice_page(
    site: str, screen: Screen
) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))
    advice = page.get_by_role("alert").filter(has_text=flag_advice(FIRST.link_id))
    expect(advice).to_be_hidden()

    answer(page, FIRST, True)

    expect(advice).to_be_visible()
    expect(advice).to_contain_text(f"Call {settings.EMERGENCY_NUMBER}")
    screen.shot("safety-yes-tapped")
    answer(page, FIRST, False)
    expect(advice).to_be_hidden()
    answer(page, FIRST, True)

    press(page, "Continue")  # the other eight questions unanswered

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Call {settings.EMERGENCY_NUMBER}")
    expect(page.get_by_text(flag_advice(FIRST.link_id))).to_be_visible()
    expect(page.get_by_text("Please check")).to_have_count(0)
    screen.shot("advice-after-one-yes")
    assert screen.csp_violations == []


def test_after_the_advice_the_patient_finishes_and_the_request_has_every_answer(
    site: str, screen: Screen
) -> None:
    page = screen.page
    answers = valid_answers(**{FIRST.link_id: True})
    page.goto(site + reverse("intake:start"))
    answer(page, FIRST, True)
    press(page, "Continue")
    press(page, "Still send my details")

    # Back on the safety check: the yes is kept, the rest asked without error messages.
    expect(
        page.get_by_text("Please answer the questions you have not answered yet")
    ).to_be_visible()
    expect(
        page.get_by_role("group", name=FIRST.text.en).get_by_label("Yes", exact=True)
    ).to_be_checked()
    screen.shot("safety-rest")
    reference = complete_intake(
        page, answers, location=LOCATION, on_page=screen.shot, advice_seen=True
    )

    intake = AppointmentRequest.objects.select_related("intake").get(reference=reference).intake
    expected = {item.link_id: answers[item.link_id] for item in KNEE_V1.items_in(SAFETY)}
    assert {key: intake.answers[key] for key in expected} == expected
    assert intake.triage == "emergency"
    expect(
        page.get_by_text("Someone from our team will call you by")
        .or_(page.get_by_text("Our clinic is closed now"))
        .first
    ).to_be_visible()
    assert screen.csp_violations == []


def test_a_derived_red_flag_shows_its_advice_right_after_the_knee_step(
    site: str, screen: Screen
) -> None:
    page = screen.page
    answers = valid_answers(
        onset="injury",
        duration="1_to_6_weeks",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        rapid_bruising=True,
    )
    page.goto(site + reverse("intake:start"))
    answer_step(page, SAFETY, answers)
    press(page, "Continue")
    pick_on_knee_diagram(page, list(answers["pain_location"]))
    answer_step(page, KNEE, answers, skip=("pain_location",))
    press(page, "Continue")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Please see a doctor in the next day or two"
    )
    expect(page.get_by_text(flag_advice("haemarthrosis"))).to_be_visible()
    screen.shot("knee-advice")
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity and history")
    assert screen.csp_violations == []
