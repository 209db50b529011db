"""Red-flag alerts on the staff pages: the intake page shows the alert and acts on it, the
alert e-mail's link lands on the acknowledge page after sign-in, the list of open alerts."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from intake.announcements import NotificationKind
from intake.models import AlertStatus, AppointmentRequest, ContactOutcome, RedFlagAlert
from intake.services.alerts import alert_close, alert_record_contact
from notifications.delivery import render_email
from notifications.models import Notification
from staff.roles import CLINIC_MANAGER, THERAPIST
from tests.factories import submit_intake, valid_answers
from tests.intake.staff import staff_user, therapist_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def emergency() -> AppointmentRequest:
    return submit_intake(answers=valid_answers(rf_numb_cold_foot=True))


@pytest.fixture
def on_call(emergency: AppointmentRequest) -> User:
    return therapist_at(emergency.location, on_call=True).user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def intake_page(request: AppointmentRequest) -> str:
    return reverse("admin:intake_intake_change", args=[request.intake_id])


def link_in_alert_email(request: AppointmentRequest) -> str:
    notification = Notification.objects.get(
        topic=request.reference, kind=NotificationKind.URGENT_ALERT
    )
    text = render_email(notification).text
    (link,) = re.findall(r"https?://\S+/admin/intake/redflagalert/acknowledge/\S+/", text)
    return urlsplit(link).path


def alert_of(request: AppointmentRequest) -> RedFlagAlert:
    return RedFlagAlert.objects.get(intake_id=request.intake_id)


def test_the_intake_page_shows_the_alert_and_its_escalation(emergency: AppointmentRequest) -> None:
    html = signed_in(staff_user(THERAPIST)).get(intake_page(emergency)).content.decode()

    assert "Red-flag alert: not acknowledged" in html
    assert "Step 1" in html
    assert "clinic-alerts@clinic.example" in html  # nobody on call: the clinic's address
    assert "Next, step 2" in html
    assert "Acknowledge: I am taking this on" in html


def test_the_email_link_asks_for_sign_in_then_lands_on_the_acknowledge_page(
    emergency: AppointmentRequest,
) -> None:
    therapist_at(emergency.location, on_call=True)
    path = link_in_alert_email(emergency)

    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert parse_qs(urlsplit(anonymous["Location"]).query)["next"] == [path]

    page = signed_in(staff_user(THERAPIST)).get(path)
    assert page.status_code == 200
    assert "Acknowledge: I am taking this on" in page.content.decode()
    # Opening the link (a mail scanner does) acknowledges nothing.
    assert alert_of(emergency).status == AlertStatus.RAISED


def test_pressing_acknowledge_on_the_link_page_acknowledges_and_opens_the_intake(
    emergency: AppointmentRequest, on_call: User
) -> None:
    path = link_in_alert_email(emergency)
    client = signed_in(on_call)

    response = client.post(path, follow=True)

    alert = alert_of(emergency)
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, on_call)
    assert response.redirect_chain[-1][0] == intake_page(emergency)
    assert "nobody else will be alerted" in response.content.decode()
    again = client.get(path).content.decode()
    assert "Already acknowledged by" in again
    assert "Acknowledge: I am taking this on" not in again


def test_a_second_acknowledgement_says_who_was_first(
    emergency: AppointmentRequest, on_call: User
) -> None:
    path = link_in_alert_email(emergency)
    signed_in(on_call).post(path)

    response = signed_in(staff_user(CLINIC_MANAGER)).post(path, follow=True)

    assert "it cannot be acknowledged again" in response.content.decode()
    assert alert_of(emergency).acknowledged_by == on_call


def test_a_tampered_link_is_not_found(emergency: AppointmentRequest) -> None:
    path = link_in_alert_email(emergency)

    response = signed_in(staff_user(THERAPIST)).get(path[:-3] + "xx/")

    assert response.status_code == 404


def test_opening_the_acknowledge_page_is_in_the_audit_trail(
    emergency: AppointmentRequest, on_call: User
) -> None:
    signed_in(on_call).get(link_in_alert_email(emergency))

    entry = LogEntry.objects.get_for_object(alert_of(emergency)).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == on_call


def test_the_contact_and_closing_are_recorded_from_the_intake_page(
    emergency: AppointmentRequest, on_call: User
) -> None:
    client = signed_in(on_call)
    pk = alert_of(emergency).pk

    no_outcome = client.post(reverse("admin:intake_redflagalert_contact", args=[pk]), follow=True)
    assert "Choose how the contact ended." in no_outcome.content.decode()
    client.post(
        reverse("admin:intake_redflagalert_contact", args=[pk]), {"outcome": "emergency_care"}
    )
    page = client.get(intake_page(emergency)).content.decode()
    assert "Sent to emergency care" in page
    assert "Close the alert" in page
    client.post(reverse("admin:intake_redflagalert_close", args=[pk]))

    alert = alert_of(emergency)
    assert alert.status == AlertStatus.CLOSED
    assert alert.acknowledged_by == alert.contacted_by == alert.closed_by == on_call
    closed_page = client.get(intake_page(emergency)).content.decode()
    assert "Red-flag alert: closed" in closed_page
    assert "Record the contact" not in closed_page


def test_the_alert_list_opens_on_the_open_alerts(emergency: AppointmentRequest) -> None:
    closed = submit_intake(answers=valid_answers(rf_locked=True))
    user = staff_user(THERAPIST)
    alert_record_contact(alert=alert_of(closed), user=user, outcome=ContactOutcome.BOOKED)
    alert_close(alert=alert_of(closed), user=user)
    client = signed_in(user)

    html = client.get(reverse("admin:intake_redflagalert_changelist")).content.decode()
    everything = client.get(reverse("admin:intake_redflagalert_changelist") + "?state=all")

    assert emergency.reference in html
    assert closed.reference not in html
    assert closed.reference in everything.content.decode()
    assert intake_page(emergency) in html


def test_the_review_queue_shows_each_intakes_alert(emergency: AppointmentRequest) -> None:
    html = (
        signed_in(staff_user(THERAPIST))
        .get(reverse("admin:intake_intake_changelist"))
        .content.decode()
    )

    assert 'class="status-badge alert-raised">Not acknowledged<' in html
