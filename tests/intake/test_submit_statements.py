"""The cost of the patient's requests: a submit does as much work in SQL for one staff member
told as for twenty, reading a page changes nothing stored (no session write), and a page
validates no earlier page again.

Counts, not timings: the figures are in bench/submit.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Intake
from intake.site.about import AboutForm
from intake.site.forms import QuestionStepForm
from notifications.models import Notification
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory, valid_answers
from tests.intake.site_client import (
    STEP_CODES,
    about_values,
    check_values,
    fill_to_check,
    form_values,
    post_step,
    step_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

SESSION_WRITE = ("INSERT", "UPDATE")


def statements_of_a_submit(therapists: int, desk: int, site: str) -> tuple[int, int]:
    """(statements of the final "send" POST, notifications it recorded)."""
    location = LocationFactory(name=site)
    TherapistFactory.create_batch(therapists, locations=[location])
    group = Group.objects.get(name=roles.FRONT_DESK)
    for _ in range(desk):
        UserFactory().groups.add(group)
    client = Client()
    fill_to_check(client, location.pk)
    values = check_values(client)  # the check page's GET, not counted
    before = Notification.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = post_step(client, "check", values)
    assert response.status_code == 302
    assert response.url.endswith("/intake/sent/")
    # Not the savepoints: under the test's own transaction the submit's atomic blocks are
    # nested, where on the site they open and commit a transaction of their own.
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    return len(statements), Notification.objects.count() - before


# The budget for the final "send" POST (issue 16).
MOST_STATEMENTS = 12


def test_a_submit_costs_the_same_statements_for_one_or_twenty_staff_told():
    ContentType.objects.clear_cache()  # a fresh worker: the audit's content types unknown
    first, _ = statements_of_a_submit(therapists=1, desk=0, site="Riverside")
    few, few_told = statements_of_a_submit(therapists=1, desk=0, site="Hillside")
    many, many_told = statements_of_a_submit(therapists=15, desk=5, site="Lakeside")

    assert (few_told, many_told) == (2, 21)  # the staff told, and the patient
    assert many == few
    assert first <= MOST_STATEMENTS  # the audit's content types in one query
    assert few <= MOST_STATEMENTS


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if '"django_session"' in query["sql"]
        and query["sql"].lstrip().upper().startswith(SESSION_WRITE)
    ]


def test_reading_the_pages_of_an_intake_writes_no_session():
    """Each page as the browser reads it after the redirect from the one before: the step
    is already the current one, so nothing in the session changes."""
    location = LocationFactory(name="Riverside")
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("intake:start"))
    assert response.status_code == 302
    writes = {"start": session_writes(queries)}
    answers = valid_answers()
    for step in [*STEP_CODES, "about", "check"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(step_url(step))
        assert response.status_code == 200
        writes[step] = session_writes(queries)
        if step == "about":
            post_step(client, step, about_values(location.pk))
        elif step != "check":
            post_step(client, step, form_values(answers, step))

    assert writes == {step: [] for step in ["start", *STEP_CODES, "about", "check"]}


def test_a_new_browser_reads_the_first_page_without_a_session_and_starts_with_its_answers():
    """Opening the intake stores nothing (no session row, no cookie); the first answers
    sent start it, and the rest of the intake goes on as before."""
    client = Client()
    response = client.get(reverse("intake:start"), follow=True)
    assert response.status_code == 200
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()

    response = post_step(client, STEP_CODES[0], form_values(valid_answers(), STEP_CODES[0]))
    assert response.status_code == 302
    assert response.url == step_url(STEP_CODES[1])
    assert Session.objects.count() == 1
    assert client.get(step_url(STEP_CODES[1])).status_code == 200


def test_the_last_page_builds_no_earlier_form_and_the_send_only_the_details_one(monkeypatch):
    """Each page is validated when it is posted; the pages after it take what it gave (kept
    with the data it came from) instead of validating it again. Sending validates the
    details step once more: a site or therapist may have gone since."""
    location = LocationFactory(name="Riverside")
    client = Client()
    fill_to_check(client, location.pk)
    built: list[str] = []
    for form_class in (QuestionStepForm, AboutForm):
        monkeypatch.setattr(form_class, "__init__", counted(form_class.__init__, built))

    page = client.get(step_url("check"))
    assert page.status_code == 200
    assert "Right" in page.content.decode()  # the knee page's answers are on it
    assert "Riverside" in page.content.decode()  # and the details page's
    assert built == []
    response = post_step(client, "check", check_values(client))
    assert response.url.endswith("/intake/sent/")
    assert built == ["AboutForm"]
    assert Intake.objects.get().answers == valid_answers()


def counted(init: Callable[..., None], built: list[str]) -> Callable[..., None]:
    def building(form: Any, *args: Any, **kwargs: Any) -> None:
        built.append(type(form).__name__)
        init(form, *args, **kwargs)

    return building


def test_an_answer_changed_from_the_last_page_is_the_one_shown_and_sent():
    location = LocationFactory(name="Riverside")
    client = Client()
    fill_to_check(client, location.pk)
    changed = valid_answers(pain_now=8, side="left")
    response = post_step(client, "knee", form_values(changed, "knee"), change="1")
    assert response.url == step_url("check")

    page = client.get(step_url("check")).content.decode()
    assert "Left" in page
    assert "Right" not in page
    post_step(client, "check", check_values(client))
    assert Intake.objects.get().answers == changed
