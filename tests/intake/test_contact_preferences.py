"""How a patient asked to be reached: consent to texts on the "about you" step, and what the
front desk sees of it on the board and the request page (texts, their fate, calls owed)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import AppointmentRequest, CallTask, Patient
from notifications.models import Notification, NotificationChannel, NotificationStatus
from staff.roles import FRONT_DESK
from tests.factories import LocationFactory
from tests.intake.site_client import about_values, complete_intake, post_step, started
from tests.intake.staff import client_for, routine_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]
BOARD = reverse("admin:intake_appointmentrequest_changelist")


def request_page(request: AppointmentRequest) -> str:
    return reverse("admin:intake_appointmentrequest_change", args=[request.pk])


# -- The patient's form -----------------------------------------------------------------------


def about_errors(client: Client, **changes: str) -> dict[str, list[str]]:
    started(client)
    response = post_step(client, "about", about_values(LocationFactory().pk, **changes))
    assert response.status_code == 200
    return response.context["form"].errors


def test_texts_need_the_patients_consent(client: Client) -> None:
    errors = about_errors(client, preferred_contact="sms")

    assert list(errors) == ["sms_consent"]
    assert "tick this box" in errors["sms_consent"][0]


def test_texts_need_a_number_that_can_take_them(client: Client) -> None:
    errors = about_errors(client, preferred_contact="sms", sms_consent="on", phone="555 0100")

    assert list(errors) == ["phone"]


def test_the_consent_is_stored_with_the_number(client: Client) -> None:
    complete_intake(
        client,
        LocationFactory().pk,
        preferred_contact="sms",
        sms_consent="on",
        phone="(555) 010-0142",
    )

    patient = Patient.objects.get()
    assert (patient.sms_consent, patient.sms_number) == (True, "+15550100142")
    assert patient.sms_consent_at is not None
    ack = Notification.objects.get(recipient=patient.sms_number)
    assert ack.channel == NotificationChannel.SMS


def test_an_email_patient_who_ticks_nothing_is_not_texted(client: Client) -> None:
    complete_intake(client, LocationFactory().pk)

    patient = Patient.objects.get()
    assert (patient.sms_consent, patient.sms_number) == (False, "")
    assert not Notification.objects.filter(channel=NotificationChannel.SMS).exists()


# -- The front desk -------------------------------------------------------------------------


def test_the_front_desk_sees_prefers_texts_and_how_the_texts_went() -> None:
    request = routine_request(preferred_contact="sms", sms_consent=True)
    text = Notification.objects.get(channel=NotificationChannel.SMS)
    Notification.objects.filter(pk=text.pk).update(
        status=NotificationStatus.FAILED, last_error="HTTP 400 (21211): not a valid number"
    )
    Notification.objects.create(
        topic=text.topic,
        kind=text.kind,
        recipient=request.patient.email,
        dedupe_key=f"sms-{text.pk}",
        replaces=text,
        subject=text.subject,
        template=text.template,
    )

    page = client_for(FRONT_DESK).get(request_page(request)).content.decode()

    assert "Prefers text message (agreed to texts)" in page
    assert "Acknowledgement (patient): Text message, failed (HTTP 400 (21211)" in page
    assert f"sent by e-mail instead to {request.patient.email}" in page


def test_a_patient_who_prefers_a_call_is_on_the_board_until_the_call_is_made() -> None:
    request = routine_request(preferred_contact="phone")
    desk = client_for(FRONT_DESK)

    assert "Call the patient" in desk.get(BOARD).content.decode()
    page = desk.get(request_page(request)).content.decode()
    assert "Call the patient: Tell them we received their request" in page
    assert "Record a contact attempt" in page

    attempt = reverse("admin:intake_appointmentrequest_attempt", args=[request.pk])
    response = desk.post(attempt, {"channel": "phone", "outcome": "reached"}, follow=True)

    assert "reached the patient (phone call)" in response.content.decode()
    task = CallTask.objects.get(request=request)
    assert task.done_at is not None
    assert task.done_by is not None
    assert "Call the patient" not in desk.get(BOARD).content.decode()
    assert (
        "Done: Tell them we received their request"
        in desk.get(request_page(request)).content.decode()
    )


def test_recording_a_call_takes_a_post() -> None:
    request = routine_request(preferred_contact="phone")

    page = client_for(FRONT_DESK).get(
        reverse("admin:intake_appointmentrequest_attempt", args=[request.pk])
    )

    assert "Record the attempt" in page.content.decode()
    assert CallTask.objects.get(request=request).done_at is None
