"""The patient's own copy: from the status link, after a one-time code e-mailed through
the outbox, as a printable page and a FHIR Bundle; both audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from audit.access import entry_actor
from intake.models import AppointmentRequest
from intake.status_links import status_token
from interop.models import PatientCopyCode
from interop.patient_copy.services import NotificationKind, copy_codes_forget
from notifications.delivery import render_email
from notifications.models import Notification
from tests.factories import submit_intake, valid_answers
from tests.interop.fhir import validated

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment_request() -> AppointmentRequest:
    return submit_intake(answers=valid_answers(rf_locked=True, goal="Run a marathon."))


def url(name: str, appointment_request: AppointmentRequest) -> str:
    return reverse(f"patient_copy:{name}", args=[status_token(appointment_request)])


def ask_for_code(client: Client, appointment_request: AppointmentRequest) -> str:
    response = client.post(url("start", appointment_request))
    assert response.status_code == 302
    assert response["Location"].endswith("/copy/code/")
    notification = Notification.objects.filter(kind=NotificationKind.PATIENT_COPY_CODE).latest(
        "created_at"
    )
    code: str = notification.context["code"]
    return code


def enter(client: Client, appointment_request: AppointmentRequest, code: str):  # type: ignore[no-untyped-def]
    return client.post(url("code", appointment_request), {"code": code})


def test_the_status_page_offers_a_copy(client: Client, appointment_request) -> None:  # type: ignore[no-untyped-def]
    # The page links under the token it was opened with (one made a second later would
    # differ: a token carries its time).
    token = status_token(appointment_request)
    page = client.get(reverse("intake:status", args=[token])).content.decode()
    assert reverse("patient_copy:start", args=[token]) in page


def test_the_record_needs_the_code(client: Client, appointment_request) -> None:  # type: ignore[no-untyped-def]
    for name in ("record", "download"):
        response = client.get(url(name, appointment_request))
        assert response.status_code == 302
        assert response["Location"].endswith("/copy/")
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_code_goes_to_the_patients_e_mail_and_only_its_hash_is_stored(
    client: Client,
    appointment_request,  # type: ignore[no-untyped-def]
) -> None:
    code = ask_for_code(client, appointment_request)
    notification = Notification.objects.get(kind=NotificationKind.PATIENT_COPY_CODE)
    assert notification.recipient == appointment_request.patient.email
    email = render_email(notification)
    assert code in email.text
    assert code in email.html
    # Nothing clinical in an e-mail.
    assert not {"stuck", "marathon", "urgent"} & set(email.text.lower().split())
    stored = PatientCopyCode.objects.get()
    assert code not in stored.code_hash
    assert len(code) == 6
    assert code.isdigit()


def test_with_the_code_the_patient_reads_and_downloads_their_record_and_both_are_audited(
    client: Client,
    appointment_request,  # type: ignore[no-untyped-def]
) -> None:
    code = ask_for_code(client, appointment_request)
    response = enter(client, appointment_request, code)
    assert response.status_code == 302
    assert response["Location"].endswith("/copy/record/")
    page = client.get(url("record", appointment_request)).content.decode()
    assert appointment_request.reference in page
    assert "Run a marathon." in page
    assert "Is your knee stuck so that you cannot straighten it all the way?" in page
    download = client.get(url("download", appointment_request))
    assert download["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    bundle = json.loads(download.content)
    validated(bundle)
    assert bundle["type"] == "collection"
    types = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {
        "Patient",
        "ServiceRequest",
        "QuestionnaireResponse",
        "RiskAssessment",
        "Flag",
        "Questionnaire",
        "Location",
        "Organization",
    } <= types
    for entry in bundle["entry"]:
        validated(entry["resource"])
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor__isnull=True)
    assert {entry_actor(entry) for entry in reads} == {
        "The patient (own copy, after a code e-mailed to them) (Patient's copy: page)",
        "The patient (own copy, after a code e-mailed to them) (Patient's copy: download)",
    }
    assert reads.filter(content_type__model="intake").count() == 2
    # Used: its e-mailed copy is forgotten, and it opens nothing a second time.
    assert "code" not in Notification.objects.get(kind=NotificationKind.PATIENT_COPY_CODE).context
    assert enter(Client(), appointment_request, code).status_code == 400


def test_wrong_codes_are_limited(client: Client, appointment_request) -> None:  # type: ignore[no-untyped-def]
    code = ask_for_code(client, appointment_request)
    wrong = "000000" if code != "000000" else "111111"
    response = enter(client, appointment_request, wrong)
    assert response.status_code == 400
    assert "4 more times" in response.content.decode()
    for _ in range(4):
        enter(client, appointment_request, wrong)
    response = enter(client, appointment_request, code)
    assert response.status_code == 400
    assert "no longer works" in response.content.decode()
    assert client.get(url("record", appointment_request)).status_code == 302


def test_an_expired_code_no_longer_works(client: Client, appointment_request) -> None:  # type: ignore[no-untyped-def]
    code = ask_for_code(client, appointment_request)
    PatientCopyCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert enter(client, appointment_request, code).status_code == 400
    assert copy_codes_forget() == 1
    notification = Notification.objects.get(kind=NotificationKind.PATIENT_COPY_CODE)
    assert "code" not in notification.context
    assert "expired" in render_email(notification).text


def test_a_new_code_replaces_the_last_and_sending_is_limited(
    client: Client,
    appointment_request,  # type: ignore[no-untyped-def]
) -> None:
    first = ask_for_code(client, appointment_request)
    second = ask_for_code(client, appointment_request)
    if first != second:
        assert enter(client, appointment_request, first).status_code == 400
    ask_for_code(client, appointment_request)
    response = client.post(url("start", appointment_request), follow=True)
    assert "several codes" in response.content.decode()
    assert PatientCopyCode.objects.count() == 3


def test_a_forged_link_gets_the_friendly_404(client: Client, appointment_request) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("patient_copy:start", args=["forged"]))
    assert response.status_code == 404
    assert "call us" in response.content.decode().lower()


def test_the_privacy_notice_says_how_to_get_a_copy_and_how_long_things_are_kept(
    client: Client,
) -> None:
    page = client.get(reverse("intake:privacy")).content.decode()
    assert "Get a copy of my record" in page
    assert "works for 90 days" in page
    assert "this website does not delete it on its own" in page
    with override_settings(RECORD_RETENTION_YEARS=7):
        page = client.get(reverse("intake:privacy")).content.decode()
    assert "the clinic keeps it for 7 years" in page
