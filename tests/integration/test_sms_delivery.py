"""Text messages end to end: a real Celery worker, the suite's Redis and PostgreSQL, its SMS
gateway (tests/sms_gateway.py, in Twilio's shape) and SMTP sink, and the clinic's callback
endpoints served by a live server the gateway calls back. Nothing here is mocked."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from intake.announcements import NotificationKind
from intake.models import AppointmentRequest, Location, Patient
from intake.services.requests import request_cancel_by_patient
from notifications.models import Notification, NotificationChannel, NotificationStatus
from staff import roles
from tests.conftest import start_celery_worker, stop_celery_worker
from tests.factories import patient_details, submit_intake
from tests.integration.test_notification_delivery import (  # noqa: F401 (fixtures)
    PATIENT,
    environment,
    site,
    smtp,
    staff,
    wait_until,
)
from tests.sms_gateway import SentSms, SmsGateway
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
NUMBER = "+15550100142"  # tests.factories.patient_details' phone


@pytest.fixture
def worker(
    transactional_db: None,
    environment: dict[str, str],  # noqa: F811
    live_server: Any,
    settings: Any,
    sms_gateway: SmsGateway,
    tmp_path: Path,
) -> Iterator[subprocess.Popen[str]]:
    """A worker whose texts name the live server as their status callback, so the gateway's
    receipts reach the clinic's endpoint (and its signature check sees the same URL)."""
    settings.SITE_URL = live_server.url
    process = start_celery_worker(
        tmp_path / "worker.log", {**environment, "SITE_URL": live_server.url}
    )
    yield process
    stop_celery_worker(process)


def texting_patient(site: Location) -> AppointmentRequest:  # noqa: F811
    patient = patient_details(preferred_contact="sms", sms_consent=True)
    return submit_intake(location=site, patient=patient)


def text_of(request: AppointmentRequest, kind: str = NotificationKind.PATIENT_ACK) -> Notification:
    return Notification.objects.get(
        topic=request.reference, kind=kind, channel=NotificationChannel.SMS
    )


def status_is(notification: Notification, status: str) -> Callable[[], bool]:
    return lambda: Notification.objects.get(pk=notification.pk).status == status


def patient_emails(smtp: SmtpSink) -> list[str]:  # noqa: F811
    return [message.subject for message in smtp.to(PATIENT)]


def test_a_patient_who_prefers_texts_gets_one_text_and_no_email(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
) -> None:
    request = texting_patient(site)
    text = text_of(request)

    (sent,) = sms_gateway.wait_for(1)
    wait_until(status_is(text, NotificationStatus.SENT), what="the text recorded as sent")
    time.sleep(1)  # room for a duplicate to show up

    assert len(sms_gateway.received) == 1
    assert sent.to == NUMBER
    assert request.reference in sent.body
    assert Notification.objects.get(pk=text.pk).message_id == sent.sid
    assert patient_emails(smtp) == []


def test_a_busy_provider_is_tried_again_and_the_text_delivered_once(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    site: Location,  # noqa: F811
) -> None:
    sms_gateway.answer(429)
    request = texting_patient(site)
    text = text_of(request)

    sms_gateway.wait_for(1)
    wait_until(status_is(text, NotificationStatus.SENT), what="the text recorded as sent")
    time.sleep(1)

    assert sms_gateway.attempts == 2
    assert len(sms_gateway.received) == 1
    assert Notification.objects.get(pk=text.pk).attempts == 2


def test_a_refused_number_is_recorded_failed_and_the_patient_emailed_instead(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
) -> None:
    manager = staff(roles.CLINIC_MANAGER, "boss")
    sms_gateway.answer(400)
    request = texting_patient(site)
    text = text_of(request)

    wait_until(status_is(text, NotificationStatus.FAILED), what="the text recorded as failed")
    wait_until(lambda: len(smtp.to(PATIENT)) == 1, what="the e-mail copy received")
    wait_until(lambda: len(smtp.to(manager.email)) == 1, what="the managers told")

    assert sms_gateway.received == []
    assert "21211" in Notification.objects.get(pk=text.pk).last_error
    assert patient_emails(smtp) == [f"We received your request ({request.reference})"]
    assert "could not be delivered" in smtp.to(manager.email)[0].subject


def stop(sms_gateway: SmsGateway, live_server: Any) -> int:
    url = live_server.url + reverse("notifications:sms_inbound")
    return sms_gateway.send_inbound(url, sender=NUMBER, body="STOP").status_code


def test_stop_stops_further_texts(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
    live_server: Any,
) -> None:
    request = texting_patient(site)
    sms_gateway.wait_for(1)

    assert stop(sms_gateway, live_server) == 200

    assert Patient.objects.get(pk=request.patient_id).sms_consent is False
    request_cancel_by_patient(appointment_request=request)
    wait_until(lambda: len(smtp.to(PATIENT)) == 1, what="the cancellation e-mailed")
    time.sleep(1)
    assert len(sms_gateway.received) == 1
    assert patient_emails(smtp) == [f"Your request was cancelled ({request.reference})"]


def test_a_text_queued_before_stop_is_not_sent_after_it(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
    live_server: Any,
) -> None:
    sms_gateway.answer(503)  # the first try fails: the text waits for its retry
    request = texting_patient(site)
    text = text_of(request)
    wait_until(lambda: sms_gateway.attempts == 1, what="the first try")

    assert stop(sms_gateway, live_server) == 200

    wait_until(status_is(text, NotificationStatus.FAILED), what="the text given up")
    wait_until(lambda: len(smtp.to(PATIENT)) == 1, what="the e-mail copy received")
    assert sms_gateway.received == []


def delivered_text(sms_gateway: SmsGateway, site: Location) -> tuple[Notification, SentSms]:  # noqa: F811
    request = texting_patient(site)
    text = text_of(request)
    (sent,) = sms_gateway.wait_for(1)
    wait_until(status_is(text, NotificationStatus.SENT), what="the text recorded as sent")
    return text, sent


def test_a_delivery_receipt_updates_the_text(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    site: Location,  # noqa: F811
) -> None:
    text, sent = delivered_text(sms_gateway, site)

    assert sms_gateway.send_receipt(sent, "sent").status_code == 204
    assert sms_gateway.send_receipt(sent, "delivered").status_code == 204

    text.refresh_from_db()
    assert (text.status, text.receipt) == (NotificationStatus.SENT, "delivered")


def test_an_undelivered_receipt_fails_the_text_over_to_email(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
) -> None:
    text, sent = delivered_text(sms_gateway, site)

    assert sms_gateway.send_receipt(sent, "undelivered", error_code="30003").status_code == 204

    wait_until(lambda: len(smtp.to(PATIENT)) == 1, what="the e-mail copy received")
    text.refresh_from_db()
    assert (text.status, text.receipt) == (NotificationStatus.FAILED, "undelivered")


def test_a_badly_signed_receipt_is_refused(
    worker: subprocess.Popen[str],
    sms_gateway: SmsGateway,
    site: Location,  # noqa: F811
) -> None:
    text, sent = delivered_text(sms_gateway, site)

    response = sms_gateway.send_receipt(
        sent, "failed", signature="c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ=="
    )

    assert response.status_code == 403
    text.refresh_from_db()
    assert (text.status, text.receipt) == (NotificationStatus.SENT, "")
