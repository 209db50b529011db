"""The front desk's contact log on a request's page: every attempt to reach the patient,
recorded from the page, shown to each role without anything clinical, audited; reaching the
patient closes the calls owed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest, AttemptOutcome, CallTask, ContactAttempt
from intake.services.contact import contact_attempt_record
from staff.roles import FRONT_DESK, THERAPIST
from tests.intake.staff import routine_request, staff_user, urgent_request

pytestmark = pytest.mark.django_db
BOARD = reverse("admin:intake_appointmentrequest_changelist")


def request_page(request: AppointmentRequest) -> str:
    return reverse("admin:intake_appointmentrequest_change", args=[request.pk])


def attempt_url(request: AppointmentRequest) -> str:
    return reverse("admin:intake_appointmentrequest_attempt", args=[request.pk])


def signed_in(role: str, **fields: object) -> tuple[Client, object]:
    user = staff_user(role, **fields)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_front_desk_records_an_attempt_and_sees_it_without_clinical_detail() -> None:
    request = urgent_request()
    desk, user = signed_in(FRONT_DESK, first_name="Fran", last_name="Okafor")

    response = desk.post(
        attempt_url(request),
        {"channel": "phone", "outcome": "left_message", "note": "  Call back after 5pm  "},
        follow=True,
    )

    assert "Recorded for" in response.content.decode()
    attempt = ContactAttempt.objects.get(request=request)
    assert (attempt.made_by, attempt.outcome, attempt.note) == (
        user,
        "left_message",
        "Call back after 5pm",
    )
    page = desk.get(request_page(request)).content.decode()
    assert "Fran Okafor: phone call, left a message. “Call back after 5pm”" in page
    assert "Record a contact attempt" in page
    # The urgent intake's red flag and the patient's answers stay off the front desk's page.
    flag = request.intake.prescreen["red_flags"][0]["reason"]
    assert flag not in page
    assert "Run the city half marathon" not in page
    assert reverse("admin:intake_intake_change", args=[request.intake_id]) not in page


def test_recording_an_attempt_is_audited_with_who_recorded_it() -> None:
    request = routine_request()
    desk, user = signed_in(FRONT_DESK)

    desk.post(attempt_url(request), {"channel": "email", "outcome": "no_answer", "note": "x"})

    attempt = ContactAttempt.objects.get()
    [entry] = LogEntry.objects.get_for_object(attempt).filter(action=LogEntry.Action.CREATE)
    assert entry.actor == user
    assert "x" not in str(entry.changes_dict.get("note", ""))  # the note is masked


def test_a_therapist_sees_the_log_but_does_not_record_attempts() -> None:
    request = routine_request()
    desk, _ = signed_in(FRONT_DESK, first_name="Fran", last_name="Okafor")
    desk.post(attempt_url(request), {"channel": "sms", "outcome": "wrong_number"})
    therapist, _ = signed_in(THERAPIST)

    page = therapist.get(request_page(request)).content.decode()
    refused = therapist.post(attempt_url(request), {"channel": "phone", "outcome": "reached"})

    assert "Fran Okafor: text message, wrong number or address" in page
    assert "Record a contact attempt" not in page
    assert refused.status_code == 403
    assert ContactAttempt.objects.count() == 1


def test_reaching_the_patient_closes_the_call_owed_and_an_unanswered_call_does_not() -> None:
    request = routine_request(preferred_contact="phone")
    desk, user = signed_in(FRONT_DESK)
    assert "Call the patient" in desk.get(BOARD).content.decode()

    desk.post(attempt_url(request), {"channel": "phone", "outcome": "no_answer"})
    assert CallTask.objects.get(request=request).done_at is None
    assert "Call the patient" in desk.get(BOARD).content.decode()

    desk.post(attempt_url(request), {"channel": "phone", "outcome": "reached"})
    task = CallTask.objects.get(request=request)
    assert task.done_by == user
    assert task.done_at == ContactAttempt.objects.get(outcome=AttemptOutcome.REACHED).made_at
    assert "Call the patient" not in desk.get(BOARD).content.decode()


def test_an_attempt_recorded_later_keeps_its_own_time() -> None:
    request = routine_request()
    desk, _ = signed_in(FRONT_DESK)
    earlier = timezone.localtime() - timedelta(hours=2)

    desk.post(
        attempt_url(request),
        {"channel": "phone", "outcome": "reached", "made_at": earlier.strftime("%Y-%m-%dT%H:%M")},
    )

    assert ContactAttempt.objects.get().made_at == earlier.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"channel": "phone"}, "outcome", "Choose what came of the attempt."),
        ({"channel": "pigeon", "outcome": "reached"}, "channel", "Select a valid choice."),
        ({"channel": "phone", "outcome": "shouted"}, "outcome", "Select a valid choice."),
        ({"channel": "phone", "outcome": "reached", "note": "x" * 201}, "note", "at most 200"),
        (
            {"channel": "phone", "outcome": "reached", "made_at": "yesterday"},
            "made_at",
            "Enter the date",
        ),
        (
            {"channel": "phone", "outcome": "reached", "made_at": "99999-01-01T10:00"},
            "made_at",
            "Enter the date",
        ),
        (
            {"channel": "phone", "outcome": "reached", "made_at": "2100-01-01T10:00"},
            "made_at",
            "still to come",
        ),
        (
            {"channel": "phone", "outcome": "reached", "made_at": "1066-10-14T10:00"},
            "made_at",
            "from 1900",
        ),
    ],
)
def test_bad_input_is_shown_again_with_what_to_correct(
    data: dict[str, str], field: str, error: str
) -> None:
    request = routine_request(preferred_contact="phone")
    desk, _ = signed_in(FRONT_DESK)

    response = desk.post(attempt_url(request), data)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert ContactAttempt.objects.count() == 0
    assert CallTask.objects.get(request=request).done_at is None


def test_an_attempt_on_a_request_that_is_not_there_is_a_404() -> None:
    desk, _ = signed_in(FRONT_DESK)

    response = desk.post(
        reverse("admin:intake_appointmentrequest_attempt", args=[999999]),
        {"channel": "phone", "outcome": "reached"},
    )

    assert response.status_code == 404


def test_mark_contacted_from_the_request_page() -> None:
    request = routine_request()
    desk, _ = signed_in(FRONT_DESK)
    assert "Mark contacted" in desk.get(request_page(request)).content.decode()

    response = desk.post(
        reverse("admin:intake_appointmentrequest_contacted", args=[request.pk]), follow=True
    )

    assert f"{request.reference} is marked contacted." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "contacted"


def test_the_request_page_costs_the_same_queries_however_many_attempts() -> None:
    request = routine_request(preferred_contact="phone")
    desk, _ = signed_in(FRONT_DESK)
    page = request_page(request)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(page).status_code == 200
        return len(captured)

    desk.post(attempt_url(request), {"channel": "phone", "outcome": "no_answer"})
    one = queries()
    for outcome in ("left_message", "no_answer", "reached"):
        other = staff_user(FRONT_DESK)
        contact_attempt_record(
            appointment_request=request, user=other, channel="phone", outcome=outcome
        )

    assert queries() == one
