"""Drive the patient website's intake with the Django test client, as a browser would."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client
from django.urls import reverse

from intake.questionnaire import KNEE_V1, ItemType
from intake.site.fields import NO, YES
from intake.site.steps import ADVICE_AFTER
from intake.site.wizard import SENT_SESSION_KEY
from tests.factories import valid_answers

WIZARD = "intake_wizard"  # formtools' prefix for IntakeWizard
STEP_CODES = [step.code for step in KNEE_V1.steps]


def started(client: Client) -> Client:
    """The client with an intake started as its first page's answers start it (a submission
    token made) and nothing answered yet, so a test can go straight to the page it is about.
    (Reading a page starts nothing: the first POST does.)"""
    session = client.session
    session[f"wizard_{WIZARD}"] = {
        "step": STEP_CODES[0],
        "step_data": {},
        "step_files": {},
        "extra_data": {"submission_token": str(uuid.uuid4())},
    }
    session.save()
    return client


def step_url(step: str) -> str:
    return reverse("intake:step", args=[step])


def form_values(answers: dict[str, Any], step: str) -> dict[str, Any]:
    """The answers of one questionnaire step as the browser posts them (without prefix)."""
    values: dict[str, Any] = {}
    for item in KNEE_V1.items:
        if item.step.code != step or item.link_id not in answers:
            continue
        answer = answers[item.link_id]
        if item.type == ItemType.BOOLEAN:
            values[item.link_id] = YES if answer else NO
        elif item.type == ItemType.MULTI:
            values[item.link_id] = list(answer)
        else:
            values[item.link_id] = str(answer)
    return values


def about_values(location_pk: int, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": "Alex",
        "last_name": "Runner",
        "date_of_birth": "1990-05-17",
        "email": "alex.runner@example.com",
        "phone": "+1 555 010 0142",
        "preferred_contact": "email",
        "preferred_language": "English",
        "location": str(location_pk),
        "preferred_times": ["weekday_morning"],
        "therapist_preference": "",
        "referral_source": "self",
        "payment": "self_pay",
        "notes": "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def post_step(client: Client, step: str, values: dict[str, Any], **extra: Any) -> Any:
    """Post one page: `values` without the step prefix; `extra` as is (e.g. wizard_goto_step)."""
    payload = {f"{WIZARD}-current_step": step, **{f"{step}-{k}": v for k, v in values.items()}}
    payload.update(extra)
    return client.post(step_url(step), payload)


def token(client: Client) -> str:
    return client.session[f"wizard_{WIZARD}"]["extra_data"]["submission_token"]


def check_values(client: Client, **changes: Any) -> dict[str, Any]:
    values = {
        "consent_privacy": "on",
        "consent_not_diagnosis": "on",
        "submission_token": token(client),
        "website": "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def fill_to_check(
    client: Client, location_pk: int, answers: dict[str, Any] | None = None, **about: Any
) -> None:
    """Start an intake and answer every page up to "check and send"."""
    answers = answers if answers is not None else valid_answers()
    client.get(reverse("intake:start"))
    for step in STEP_CODES:
        response = go_on_from_advice(client, post_step(client, step, form_values(answers, step)))
    response = go_on_from_advice(
        client, post_step(client, "about", about_values(location_pk, **about))
    )
    assert response.url == step_url("check")


def go_on_from_advice(client: Client, response: Any) -> Any:
    """After a step: go on from the advice page that follows it, if any (as a patient who
    reads it and presses the button)."""
    assert response.status_code == 302, response.content.decode()[:3000]
    advice = next((step for step in ADVICE_AFTER if response.url == step_url(step)), None)
    if advice is None:
        return response
    return post_step(client, advice, {})


def complete_intake(
    client: Client, location_pk: int, answers: dict[str, Any] | None = None, **about: Any
) -> Any:
    """Answer every page and send; returns the response to the final post."""
    fill_to_check(client, location_pk, answers, **about)
    return post_step(client, "check", check_values(client))


def sent_reference(client: Client) -> str | None:
    return client.session.get(SENT_SESSION_KEY)
