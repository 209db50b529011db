"""Text messages in the outbox, delivered in this process through the suite's SMS gateway
(tests/sms_gateway.py, a real HTTP server in Twilio's shape): what is sent, how long it may
be, what happens on refusals, and the provider's signed callbacks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.env import Env
from intake.announcements import NotificationKind, notifications_for_status_change
from intake.models import AppointmentRequest, CallTask, Location, Patient, RequestStatus
from intake.services.requests import request_cancel_by_patient
from notifications.delivery import notification_deliver, render_sms
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationStatus,
    SmsConsent,
)
from notifications.sms import e164, keyword, segments
from staff import roles
from tests.factories import (
    LocationFactory,
    TherapistFactory,
    UserFactory,
    patient_details,
    submit_intake,
    valid_answers,
)
from tests.intake.test_announcements import clinical_phrases, mentions
from tests.sms_gateway import AUTH_TOKEN, SmsGateway, sign

# Delivery refuses to run inside a transaction, as in the worker.
pytestmark = pytest.mark.django_db(transaction=True)
NUMBER = "+15550100142"  # tests.factories.patient_details' phone, in E.164
EMAIL = "alex.runner@example.com"


@pytest.fixture
def site() -> Location:
    return LocationFactory(name="Riverside")


def texting(**changes: Any) -> Any:
    return patient_details(preferred_contact="sms", sms_consent=True, **changes)


def texts(reference: str) -> list[Notification]:
    return list(
        Notification.objects.filter(topic=reference, channel=NotificationChannel.SMS).order_by("pk")
    )


def deliver(notification: Notification) -> str:
    return notification_deliver(notification_id=notification.pk).status


# -- Length ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # the extension table takes two units each
        ("€" * 81, 2),
        ("é" * 160, 1),  # in the GSM-7 basic set
        ("á" * 70, 1),  # not in it: UCS-2, 70 a segment
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
    ],
)
def test_segments_are_counted_as_carriers_count_them(text: str, count: int) -> None:
    assert segments(text) == count


def all_patient_texts(site: Location, now: datetime, language: str = "en-us") -> list[str]:
    """Every text a patient can receive: the acknowledgement (routine, urgent, emergency),
    the booking and the cancellation, with the longest values the demo data has, in the
    patient's `language`."""
    therapist = TherapistFactory(
        user=UserFactory(first_name="Alexandra-Maria", last_name="Vandenberghe-Okonkwo"),
        locations=[site],
    )
    rendered = []
    for answers in (
        valid_answers(),
        valid_answers(rf_locked=True),
        valid_answers(rf_calf_swelling=True),
    ):
        request = submit_intake(
            location=site, answers=answers, patient=texting(preferred_language=language), now=now
        )
        request.status = RequestStatus.SCHEDULED
        request.scheduled_at = timezone.now() + timedelta(days=30)
        request.scheduled_therapist = therapist
        request.save()
        notifications_for_status_change(appointment_request=request)
        request_cancel_by_patient(appointment_request=request)
        rendered += [render_sms(text) for text in texts(request.reference)]
    return rendered


def test_every_text_we_send_takes_at_most_two_segments_and_carries_no_clinical_detail(
    settings: Any,
) -> None:
    # Long values everywhere ("Running" is also an answer option: not in the name).
    settings.CLINIC_NAME = "Riverside Knee and Sports Injury Clinic of Springfield"
    settings.SITE_URL = "https://intake.riversidekneeclinic.example.com"
    site = LocationFactory(name="Riverside North Sports Medicine Campus", phone="(555) 010-0199")
    bodies = all_patient_texts(site, timezone.now())

    assert len(bodies) == 9
    for body in bodies:
        assert segments(body) <= 2, f"{segments(body)} segments: {body!r}"
        assert "{" not in body
        assert "  " not in body
    for request in AppointmentRequest.objects.all():
        for body in bodies:
            assert mentions(body, clinical_phrases(request)) == [], body


def test_every_text_in_spanish_takes_at_most_two_gsm7_segments(settings: Any) -> None:
    """Spanish goes without the accents GSM-7 lacks (á, í, ó, ú): one of them would make the
    whole text UCS-2, at 67 characters a segment instead of 153."""
    settings.CLINIC_NAME = "Riverside Knee and Sports Injury Clinic of Springfield"
    settings.SITE_URL = "https://intake.riversidekneeclinic.example.com"
    site = LocationFactory(name="Riverside North Sports Medicine Campus", phone="(555) 010-0199")
    bodies = all_patient_texts(site, timezone.now(), language="es")

    assert len(bodies) == 9
    assert any("recibimos su solicitud" in body for body in bodies)
    assert any("vaya a una sala de emergencias" in body for body in bodies)
    for body in bodies:
        assert segments(body) <= 2, f"{segments(body)} segments: {body!r}"
        assert len(body) <= 2 * 153
        assert not set("áíóú\u00a0") & set(body), body


# -- Recording ------------------------------------------------------------------------------


def test_a_patient_who_prefers_texts_gets_the_acknowledgement_by_text_only(site: Location) -> None:
    request = submit_intake(location=site, patient=texting())

    patient = Patient.objects.get(pk=request.patient_id)
    assert (patient.sms_consent, patient.sms_number) == (True, NUMBER)
    ack = Notification.objects.filter(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    assert [(n.channel, n.recipient, n.fallback_recipient) for n in ack] == [
        (NotificationChannel.SMS, NUMBER, EMAIL)
    ]


def test_an_urgent_acknowledgement_goes_by_text_and_by_email_with_the_full_advice(
    site: Location,
) -> None:
    request = submit_intake(location=site, answers=valid_answers(rf_locked=True), patient=texting())

    ack = Notification.objects.filter(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    assert sorted(n.channel for n in ack) == [NotificationChannel.EMAIL, NotificationChannel.SMS]
    body = render_sms(ack.get(channel=NotificationChannel.SMS))
    assert "please see a doctor in the next day or two" in body


def test_without_consent_to_texts_the_patient_is_emailed(site: Location) -> None:
    request = submit_intake(location=site, patient=patient_details(preferred_contact="sms"))

    assert texts(request.reference) == []
    assert Notification.objects.filter(topic=request.reference, recipient=EMAIL).exists()


def test_a_patient_who_prefers_a_call_gets_a_call_task_not_a_text(site: Location) -> None:
    request = submit_intake(location=site, patient=patient_details(preferred_contact="phone"))

    assert texts(request.reference) == []
    (task,) = CallTask.objects.filter(request=request)
    assert task.kind == NotificationKind.PATIENT_ACK
    assert task.done_at is None
    request_cancel_by_patient(appointment_request=request)
    assert CallTask.objects.filter(request=request).count() == 2


# -- Delivery -------------------------------------------------------------------------------


def test_a_text_is_sent_once_with_a_status_callback(
    site: Location, sms_gateway: SmsGateway, settings: Any
) -> None:
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)

    assert deliver(text) == NotificationStatus.SENT
    assert deliver(text) == "skipped"

    (sent,) = sms_gateway.received
    text.refresh_from_db()
    assert (sent.to, text.message_id) == (NUMBER, sent.sid)
    assert sent.body == render_sms(text)
    assert request.reference in sent.body
    assert sent.status_callback == settings.SITE_URL + reverse("notifications:sms_status")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_failing_provider_is_tried_again_later(
    site: Location, sms_gateway: SmsGateway, status: int
) -> None:
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)
    sms_gateway.answer(status)

    outcome = notification_deliver(notification_id=text.pk)

    text.refresh_from_db()
    assert (outcome.status, text.status) == (NotificationStatus.PENDING, NotificationStatus.PENDING)
    assert outcome.retry_in is not None
    assert f"HTTP {status}" in text.last_error
    assert sms_gateway.received == []
    assert not Notification.objects.filter(replaces=text).exists()


def test_a_refused_number_fails_falls_back_to_email_and_is_reported(
    site: Location, sms_gateway: SmsGateway, caplog: pytest.LogCaptureFixture
) -> None:
    manager = UserFactory(username="boss")
    manager.groups.add(Group.objects.get_or_create(name=roles.CLINIC_MANAGER)[0])
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)
    sms_gateway.answer(400)

    with caplog.at_level(logging.DEBUG):
        assert deliver(text) == NotificationStatus.FAILED

    text.refresh_from_db()
    assert "HTTP 400 (21211)" in text.last_error
    copy = Notification.objects.get(replaces=text)
    assert (copy.channel, copy.recipient, copy.template) == ("email", EMAIL, text.template)
    assert Notification.objects.filter(
        kind=NotificationKind.DELIVERY_FAILED, about=text, recipient=manager.email
    ).exists()
    assert AUTH_TOKEN not in caplog.text


def test_no_text_goes_to_a_number_that_replied_stop(
    site: Location, sms_gateway: SmsGateway
) -> None:
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)
    SmsConsent.objects.create(number=NUMBER, subscribed=False, keyword="STOP")

    assert deliver(text) == NotificationStatus.FAILED

    assert sms_gateway.attempts == 0
    assert Notification.objects.get(replaces=text).recipient == EMAIL


# -- Callbacks ------------------------------------------------------------------------------


def post_signed(
    client: Client, name: str, params: dict[str, str], settings: Any, **headers: str
) -> Any:
    path = reverse(f"notifications:{name}")
    signature = headers.pop("signature", None)
    if signature is None:
        signature = sign(settings.SITE_URL + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_text(site: Location, sms_gateway: SmsGateway) -> Notification:
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)
    deliver(text)
    text.refresh_from_db()
    return text


def test_a_signed_receipt_updates_the_text_and_a_late_one_changes_nothing(
    client: Client, site: Location, sms_gateway: SmsGateway, settings: Any
) -> None:
    text = sent_text(site, sms_gateway)

    for status in ("delivered", "sent"):
        params = {"MessageSid": text.message_id, "MessageStatus": status}
        assert post_signed(client, "sms_status", params, settings).status_code == 204

    text.refresh_from_db()
    assert (text.status, text.receipt) == (NotificationStatus.SENT, "delivered")


def test_an_undelivered_receipt_fails_the_text_and_falls_back_to_email(
    client: Client, site: Location, sms_gateway: SmsGateway, settings: Any
) -> None:
    text = sent_text(site, sms_gateway)
    params = {"MessageSid": text.message_id, "MessageStatus": "undelivered", "ErrorCode": "30003"}

    assert post_signed(client, "sms_status", params, settings).status_code == 204
    assert post_signed(client, "sms_status", params, settings).status_code == 204

    text.refresh_from_db()
    assert text.status == NotificationStatus.FAILED
    assert "30003" in text.last_error
    assert Notification.objects.filter(replaces=text).count() == 1


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", "ünïcode"])
def test_an_unsigned_or_badly_signed_callback_is_refused(
    client: Client, site: Location, sms_gateway: SmsGateway, settings: Any, signature: str
) -> None:
    text = sent_text(site, sms_gateway)
    params = {"MessageSid": text.message_id, "MessageStatus": "failed"}

    for name in ("sms_status", "sms_inbound"):
        response = post_signed(client, name, params, settings, signature=signature)
        assert response.status_code == 403

    text.refresh_from_db()
    assert text.status == NotificationStatus.SENT
    assert text.receipt == ""


def test_a_signature_for_another_url_or_other_values_is_refused(
    client: Client, site: Location, sms_gateway: SmsGateway, settings: Any
) -> None:
    text = sent_text(site, sms_gateway)
    params = {"MessageSid": text.message_id, "MessageStatus": "failed"}
    other_url = sign("https://elsewhere.example/sms/status", params)
    other_values = sign(
        settings.SITE_URL + reverse("notifications:sms_status"),
        {**params, "MessageStatus": "delivered"},
    )

    for signature in (other_url, other_values):
        response = post_signed(client, "sms_status", params, settings, signature=signature)
        assert response.status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"MessageSid": "", "MessageStatus": "delivered"},
        {"MessageSid": "SMnope", "MessageStatus": "delivered"},
        {"MessageSid": "x" * 5000, "MessageStatus": "failed", "ErrorCode": "<script>"},
        {"MessageSid": "SM\x00", "MessageStatus": "nonsense"},
        {"From": "not a number", "Body": "STOP"},
        {"From": "+1555", "Body": ""},
        {"From": NUMBER, "Body": "\x00" * 10},
    ],
)
def test_odd_callbacks_never_fail(client: Client, settings: Any, params: dict[str, str]) -> None:
    for name in ("sms_status", "sms_inbound"):
        assert post_signed(client, name, params, settings).status_code in (200, 204)


def test_callbacks_take_only_posts(client: Client) -> None:
    assert client.get(reverse("notifications:sms_status")).status_code == 405
    response = client.post(
        reverse("notifications:sms_inbound"), "\xff\xfe", content_type="multipart/form-data"
    )
    assert response.status_code in (400, 403)


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "Stop.", "STOPALL", "unsubscribe", "Cancel", "END", "quit"]
)
def test_stop_words_withdraw_the_consent_and_start_gives_it_back(
    client: Client, site: Location, settings: Any, word: str
) -> None:
    request = submit_intake(location=site, patient=texting())

    response = post_signed(client, "sms_inbound", {"From": NUMBER, "Body": word}, settings)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    patient = Patient.objects.get(pk=request.patient_id)
    assert patient.sms_consent is False
    assert SmsConsent.objects.get(number=NUMBER).subscribed is False
    # Later messages go by e-mail.
    request.refresh_from_db()
    request_cancel_by_patient(appointment_request=request)
    cancelled = Notification.objects.get(
        topic=request.reference, kind=NotificationKind.PATIENT_CANCELLED
    )
    assert cancelled.channel == NotificationChannel.EMAIL

    post_signed(client, "sms_inbound", {"From": "(555) 010-0142", "Body": "START"}, settings)
    patient.refresh_from_db()
    assert patient.sms_consent is True
    assert SmsConsent.objects.get(number=NUMBER).subscribed is True


def test_start_never_opts_in_a_patient_who_did_not_agree_to_texts(
    client: Client, site: Location, settings: Any
) -> None:
    request = submit_intake(location=site, patient=patient_details(preferred_contact="sms"))
    Patient.objects.filter(pk=request.patient_id).update(sms_number=NUMBER)

    post_signed(client, "sms_inbound", {"From": NUMBER, "Body": "START"}, settings)

    assert Patient.objects.get(pk=request.patient_id).sms_consent is False


def test_help_is_answered_with_the_clinics_name_and_phone(client: Client, settings: Any) -> None:
    response = post_signed(client, "sms_inbound", {"From": NUMBER, "Body": "help"}, settings)

    body = response.content.decode()
    assert "<Message>" in body
    assert settings.CLINIC_PHONE in body
    assert "STOP" in body
    assert segments(settings.SMS_HELP_REPLY) <= 2


# -- Numbers, words and settings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("+1 555 010 0142", NUMBER),
        ("(555) 010-0142", NUMBER),
        ("1-555-010-0142", NUMBER),
        ("555.010.0142", NUMBER),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("010 0142", None),
        ("+1", None),
        ("", None),
    ],
)
def test_numbers_are_written_in_e164(raw: str, number: str | None) -> None:
    assert e164(raw) == number


def test_the_keyword_is_the_first_word() -> None:
    assert [keyword(b) for b in ("  stop please", "Stop.", "¿HELP?", "", "123")] == [
        "STOP",
        "STOP",
        "HELP",
        "",
        "",
    ]


def test_sms_url_is_parsed_and_bad_ones_stop_start_up(tmp_path: Any) -> None:
    twilio = Env({"SMS_URL": "twilio://AC1:tok%2Fen@api.twilio.com?from=+15550001111"}).sms(
        "SMS_URL", "console:"
    )
    assert twilio == {
        "backend": "twilio",
        "base_url": "https://api.twilio.com",
        "account_sid": "AC1",
        "auth_token": "tok/en",
        "from": "+15550001111",
    }
    assert Env({}).sms("SMS_URL", f"file://{tmp_path}") == {
        "backend": "file",
        "path": str(tmp_path),
    }
    assert Env({"SMS_URL": "console:"}).sms("SMS_URL", "")["backend"] == "console"
    for bad in (
        "twilio://api.twilio.com?from=+1555",
        "twilio://a:b@api.twilio.com",
        "http://x",
        "file://",
    ):
        with pytest.raises(ImproperlyConfigured, match="SMS_URL"):
            Env({"SMS_URL": bad}).sms("SMS_URL", "console:")


def test_the_file_transport_keeps_each_text_on_the_machine(
    site: Location, settings: Any, tmp_path: Any
) -> None:
    settings.SMS = {"backend": "file", "path": str(tmp_path)}
    request = submit_intake(location=site, patient=texting())
    (text,) = texts(request.reference)

    assert deliver(text) == NotificationStatus.SENT

    (written,) = tmp_path.iterdir()
    assert NUMBER in written.read_text()
    assert request.reference in written.read_text()
