"""Safety advice on the patient website: after the safety check, and again at the end."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from conditions.categories import Category, Triage
from intake.models import AppointmentRequest
from tests.factories import RED_FLAG_ITEMS, LocationFactory, valid_answers
from tests.intake.site_client import (
    about_values,
    check_values,
    complete_intake,
    form_values,
    post_step,
    step_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

EMERGENCY = {"rf_numb_cold_foot": True}
URGENT = {"rf_locked": True}


def answer_safety(client, **changes):
    client.get(reverse("intake:start"))
    answers = {**dict.fromkeys(RED_FLAG_ITEMS, False), **changes}
    return post_step(client, "safety", form_values(answers, "safety"))


def test_an_emergency_answer_leads_to_the_emergency_page(client):
    response = answer_safety(client, **EMERGENCY)
    assert response.url == step_url("advice")
    page = client.get(response.url).content.decode()
    assert f"Call {settings.EMERGENCY_NUMBER} or go to an emergency department now</h1>" in page
    assert settings.CLINIC_PHONE in page
    assert "Still send my details</button>" in page


def test_the_emergency_page_lets_the_patient_still_send_their_details(client):
    answer_safety(client, **EMERGENCY)
    response = post_step(client, "advice", {})
    assert response.url == step_url("knee")


def test_an_urgent_answer_advises_a_doctor_within_days(client):
    response = answer_safety(client, **URGENT)
    page = client.get(response.url).content.decode()
    assert "Please see a doctor in the next day or two</h1>" in page
    assert "emergency department now" not in page


def test_no_red_flag_goes_straight_to_the_knee_questions(client):
    response = answer_safety(client)
    assert response.url == step_url("knee")


def test_the_advice_page_is_not_reachable_without_a_red_flag(client):
    answer_safety(client)
    response = client.get(step_url("advice"))
    assert response.status_code == 302
    assert response.url == step_url("safety")


def test_back_from_the_advice_page_returns_to_the_safety_check(client):
    answer_safety(client, **URGENT)
    response = post_step(client, "advice", {}, wizard_goto_step="safety")
    page = client.get(response.url).content.decode()
    assert 'value="true"  id="id_safety-rf_locked_0" required checked' in page


@pytest.mark.parametrize(
    ("changes", "triage", "heading"),
    [
        (EMERGENCY, Triage.EMERGENCY, "or go to an emergency department now</h2>"),
        (URGENT, Triage.URGENT, "Please see a doctor in the next day or two</h2>"),
    ],
)
def test_the_confirmation_repeats_the_advice(client, changes, triage, heading):
    response = complete_intake(client, LocationFactory().pk, valid_answers(**changes))
    assert AppointmentRequest.objects.get().intake.triage == triage
    assert heading in client.get(response.url).content.decode()


def test_a_routine_confirmation_gives_no_alarm(client):
    response = complete_intake(client, LocationFactory().pk)
    page = client.get(response.url).content.decode()
    assert AppointmentRequest.objects.get().intake.triage == Triage.ROUTINE
    assert "emergency department now" not in page
    assert "see a doctor in the next day" not in page


def test_a_red_flag_from_the_knee_answers_shows_again_at_the_end(client):
    # Swelling within 2 hours of an injury is urgent, though the safety check was all "no".
    answers = valid_answers(
        onset="injury",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        rapid_bruising=False,
    )
    response = complete_intake(client, LocationFactory().pk, answers)
    assert (
        "Please see a doctor in the next day or two</h2>"
        in client.get(response.url).content.decode()
    )


def test_patients_never_see_categories_or_scores(client):
    response = complete_intake(client, LocationFactory().pk)
    page = client.get(response.url).content.decode().lower()
    for category in Category:
        assert category.label.lower() not in page
    assert "score" not in page


# --- "None of these": one tick for nine No answers ---------------------------------------------


def test_none_of_these_records_every_safety_answer_as_no(client):
    client.get(reverse("intake:start"))
    response = post_step(client, "safety", {"none_of_these": "on"})
    assert response.url == step_url("knee")
    location = LocationFactory()
    # The rest of the intake as usual; the safety page is not posted again.
    answers = valid_answers()
    for step in ("knee", "activity"):
        post_step(client, step, form_values(answers, step))
    post_step(client, "about", about_values(location.pk))
    post_step(client, "check", check_values(client))
    stored = AppointmentRequest.objects.select_related("intake").get().intake.answers
    assert {code: stored[code] for code in RED_FLAG_ITEMS} == dict.fromkeys(RED_FLAG_ITEMS, False)


def test_none_of_these_never_holds_back_the_advice_of_a_yes(client):
    client.get(reverse("intake:start"))
    response = post_step(client, "safety", {"none_of_these": "on", "rf_numb_cold_foot": "true"})
    assert response.url == step_url("advice")
    page = client.get(response.url).content.decode()
    assert f"Call {settings.EMERGENCY_NUMBER}" in page
