"""Red-flag advice on the patient website that nothing holds back: a yes on the safety check
goes to its advice whatever else is unanswered, the questions skipped are asked after it with
nothing lost, and a red flag the knee answers raise shows its advice right after that step.
Then the confirmation and the status page say what the clinic will do, and by when."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intake.advice import flag_advice
from intake.models import AppointmentRequest
from intake.services.alerts import alert_acknowledge
from intake.site.steps import DERIVED_ADVICE
from intake.status_links import status_path
from tests.factories import RED_FLAG_ITEMS, LocationFactory, valid_answers
from tests.intake.site_client import (
    about_values,
    check_values,
    complete_intake,
    form_values,
    go_on_from_advice,
    post_step,
    step_url,
)
from tests.intake.staff import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

FIRST = RED_FLAG_ITEMS[0]  # rf_fever_hot_knee: emergency
INJURY_THIS_WEEK = {
    "onset": "injury",
    "duration": "under_1_week",
    "injury_mechanism": ["twist_pivot"],
    "felt_pop": False,
    "swelling_after_injury": "later",
    "rapid_bruising": False,
    "can_bend_90": True,
}
# Each derived red flag, and knee answers that raise it whatever the age.
DERIVED = {
    "ottawa_xray": {**INJURY_THIS_WEEK, "can_bend_90": False},
    "haemarthrosis": {**INJURY_THIS_WEEK, "swelling_after_injury": "within_2_hours"},
    "first_dislocation": {**INJURY_THIS_WEEK, "kneecap_dislocation": "once"},
}


def page(client: Any, url: str) -> str:
    return client.get(url).content.decode()


def yes_to_the_first_question_only(client: Any) -> Any:
    client.get(reverse("intake:start"))
    return post_step(client, "safety", {FIRST: "true"})


def test_a_yes_with_every_other_question_unanswered_shows_the_advice(client: Any) -> None:
    response = yes_to_the_first_question_only(client)

    assert response.status_code == 302
    assert response.url == step_url("advice")
    html = page(client, response.url)
    assert f"Call {settings.EMERGENCY_NUMBER} or go to an emergency department now</h1>" in html
    assert flag_advice(FIRST) in html
    assert "Please check" not in html
    assert "Still send my details</button>" in html
    assert "the safety questions you have not answered yet" in html


def test_without_a_yes_unanswered_questions_are_still_errors(client: Any) -> None:
    client.get(reverse("intake:start"))
    response = post_step(client, "safety", {FIRST: "false"})

    assert response.status_code == 200
    assert "Please check these answers" in response.content.decode()


def test_after_the_advice_the_skipped_questions_are_asked_with_the_answer_kept(
    client: Any,
) -> None:
    yes_to_the_first_question_only(client)

    response = post_step(client, "advice", {})

    assert response.url == step_url("safety")
    html = page(client, response.url)
    assert f'value="true"  id="id_safety-{FIRST}_0" required checked' in html
    assert "Please answer the questions you have not answered yet" in html
    assert "Please check" not in html
    assert "invalid-feedback" not in html


def test_the_whole_intake_goes_through_with_every_answer_and_no_second_advice_page(
    client: Any,
) -> None:
    location = LocationFactory()
    answers = valid_answers(**{FIRST: True})
    yes_to_the_first_question_only(client)
    post_step(client, "advice", {})

    rest = post_step(client, "safety", form_values(answers, "safety"))
    assert rest.url == step_url("knee")  # the same advice is not shown twice
    for step in ("knee", "activity"):
        go_on_from_advice(client, post_step(client, step, form_values(answers, step)))
    go_on_from_advice(client, post_step(client, "about", about_values(location.pk)))
    sent = post_step(client, "check", check_values(client))

    assert sent.url == reverse("intake:confirmation")
    intake = AppointmentRequest.objects.get().intake
    assert {key: intake.answers[key] for key in RED_FLAG_ITEMS} == {
        key: answers[key] for key in RED_FLAG_ITEMS
    }
    assert intake.triage == "emergency"


def test_a_new_yes_while_finishing_the_safety_check_shows_the_advice_again(
    client: Any,
) -> None:
    yes_to_the_first_question_only(client)
    post_step(client, "advice", {})
    answers = valid_answers(**{FIRST: True, "rf_locked": True})

    response = post_step(client, "safety", form_values(answers, "safety"))

    assert response.url == step_url("advice")
    html = page(client, response.url)
    assert flag_advice(FIRST) in html
    assert flag_advice("rf_locked") in html


def test_every_safety_question_carries_its_advice_for_the_script_to_show(client: Any) -> None:
    client.get(reverse("intake:start"))
    html = page(client, step_url("safety"))

    for link_id in RED_FLAG_ITEMS:
        rule = escape(json.dumps([{"name": f"safety-{link_id}", "values": ["true"]}]))
        assert f'data-show-when="{rule}" role="alert" hidden>' in html, link_id
        assert flag_advice(link_id) in html


def test_a_yes_already_given_shows_its_advice_without_the_script(client: Any) -> None:
    yes_to_the_first_question_only(client)

    html = page(client, step_url("safety"))

    shown = html.split(f"safety-{FIRST}&quot;")[1].split(">")[0]
    assert "hidden" not in shown


@pytest.mark.parametrize("code", list(DERIVED))
def test_each_derived_red_flag_shows_its_advice_right_after_the_knee_step(
    client: Any, code: str
) -> None:
    answers = valid_answers(**DERIVED[code])
    client.get(reverse("intake:start"))
    post_step(client, "safety", form_values(answers, "safety"))

    response = post_step(client, "knee", form_values(answers, "knee"))

    assert response.url == step_url(DERIVED_ADVICE["knee"])
    html = page(client, response.url)
    assert "Please see a doctor in the next day or two</h1>" in html
    assert flag_advice(code) in html
    assert "Step 2 of 5" in html
    onwards = post_step(client, DERIVED_ADVICE["knee"], {})
    assert onwards.url == step_url("activity")


def test_the_ottawa_rule_by_age_alone_waits_for_the_age(client: Any) -> None:
    location = LocationFactory()
    answers = valid_answers(**INJURY_THIS_WEEK)  # bends the knee: only the age can raise it
    client.get(reverse("intake:start"))
    post_step(client, "safety", form_values(answers, "safety"))
    assert post_step(client, "knee", form_values(answers, "knee")).url == step_url("activity")
    post_step(client, "activity", form_values(answers, "activity"))

    response = post_step(client, "about", about_values(location.pk, date_of_birth="1950-03-02"))

    assert response.url == step_url(DERIVED_ADVICE["about"])
    assert flag_advice("ottawa_xray") in page(client, response.url)


def test_a_younger_patient_who_bends_the_knee_sees_no_ottawa_advice(client: Any) -> None:
    location = LocationFactory()
    complete_intake(client, location.pk, valid_answers(**INJURY_THIS_WEEK))

    assert AppointmentRequest.objects.get().intake.triage == "routine"


# -- After sending ------------------------------------------------------------------------


@pytest.fixture
def clinic_closed_today(settings: Any) -> None:
    """Open only on a weekday three days from now: closed for the whole of today."""
    opens = (timezone.localdate().weekday() + 3) % 7
    settings.CLINIC_OPENING_HOURS = {opens: (time(8), time(18))}


@pytest.mark.usefixtures("clinic_closed_today")
def test_the_confirmation_repeats_each_reason_and_says_when_the_clinic_will_call(
    client: Any,
) -> None:
    response = complete_intake(client, LocationFactory().pk, valid_answers(rf_calf_swelling=True))

    html = page(client, response.url)
    assert flag_advice("rf_calf_swelling") in html
    assert "Our clinic is closed now: nobody will see your request before 8:00 AM on " in html
    assert "We will call you by 9:00 AM on " in html
    assert "Please do not wait for our call." in html
    assert "usually within one working day" not in html


@pytest.mark.usefixtures("clinic_closed_today")
def test_the_status_page_repeats_the_advice_until_someone_acknowledges(client: Any) -> None:
    complete_intake(client, LocationFactory().pk, valid_answers(rf_locked=True))
    request = AppointmentRequest.objects.get()
    status = status_path(request)

    html = page(client, status)
    assert "Please see a doctor in the next day or two</h2>" in html
    assert "nobody will see your request before 8:00 AM" in html
    assert flag_advice("rf_locked") not in html  # the reasons stay off a page behind a link

    alert = request.intake.alert
    alert_acknowledge(alert=alert, user=staff_user("Therapist"))
    assert "Please see a doctor in the next day or two</h2>" in page(client, status)


def test_a_routine_status_page_gives_no_advice(client: Any) -> None:
    complete_intake(client, LocationFactory().pk)

    html = page(client, status_path(AppointmentRequest.objects.get()))

    assert "advice-heading" not in html
    assert "will call you by" not in html
