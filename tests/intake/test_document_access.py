"""Who on the staff opens the documents patients send: therapists the referral letters and
prescriptions, the front desk the insurance cards, managers all; each file served with
headers that keep a browser from running it, and every view in the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from intake.models import AppointmentRequest, Document, DocumentKind
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import LocationFactory, submit_intake
from tests.intake.documents import documents_folder, pdf_bytes, png_bytes, send_document
from tests.intake.staff import ROLES, client_for, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_folder")]
__all__ = ["documents_folder"]  # the fixture, used by every test here


@pytest.fixture
def request_() -> AppointmentRequest:
    return submit_intake(location=LocationFactory())


KIND_ROLES = {
    DocumentKind.REFERRAL_LETTER: {THERAPIST, CLINIC_MANAGER},
    DocumentKind.PRESCRIPTION: {THERAPIST, CLINIC_MANAGER},
    DocumentKind.INSURANCE_FRONT: {FRONT_DESK, CLINIC_MANAGER},
    DocumentKind.INSURANCE_BACK: {FRONT_DESK, CLINIC_MANAGER},
}


def file_url(document: Document) -> str:
    return reverse(
        "admin:intake_appointmentrequest_document", args=[document.request_id, document.pk]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(DocumentKind))
def test_each_role_opens_only_the_documents_of_its_work(
    request_: AppointmentRequest, role: str, kind: DocumentKind
) -> None:
    content = pdf_bytes()
    document = send_document(request_, kind, "file.pdf", content)
    response = client_for(role).get(file_url(document))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif role in KIND_ROLES[kind]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
    else:
        assert response.status_code == 403


def test_a_pdf_is_downloaded_and_a_picture_shown_never_sniffed(
    request_: AppointmentRequest,
) -> None:
    letter = send_document(request_, DocumentKind.REFERRAL_LETTER, "l.pdf", pdf_bytes())
    card = send_document(request_, DocumentKind.INSURANCE_FRONT, "c.png", png_bytes())
    client = client_for(CLINIC_MANAGER)
    pdf = client.get(file_url(letter))
    reference = request_.reference
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{reference}-referral-letter.pdf"'
    picture = client.get(file_url(card))
    assert picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"] == f'inline; filename="{reference}-insurance-front.png"'
    for response in (pdf, picture):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
        assert "sandbox" in response["Content-Security-Policy"]


def test_a_document_is_opened_only_through_its_own_request(request_: AppointmentRequest) -> None:
    document = send_document(request_, DocumentKind.INSURANCE_FRONT, "c.png", png_bytes())
    other = submit_intake(location=request_.location)
    url = reverse("admin:intake_appointmentrequest_document", args=[other.pk, document.pk])
    assert client_for(CLINIC_MANAGER).get(url).status_code == 404


def test_every_view_of_a_file_is_in_the_audit_trail(request_: AppointmentRequest) -> None:
    document = send_document(request_, DocumentKind.REFERRAL_LETTER, "l.pdf", pdf_bytes())
    therapist = staff_user(THERAPIST)
    client = Client()
    client.force_login(therapist)
    client.get(file_url(document))
    client.get(file_url(document))
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        object_pk=str(document.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert [entry.actor_id for entry in entries] == [therapist.pk, therapist.pk]
    assert entries[0].object_repr == f"Referral letter for {request_.reference}"


def test_a_refused_view_is_not_recorded_as_a_view(request_: AppointmentRequest) -> None:
    document = send_document(request_, DocumentKind.REFERRAL_LETTER, "l.pdf", pdf_bytes())
    client_for(FRONT_DESK).get(file_url(document))
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        action=LogEntry.Action.ACCESS,
    ).exists()


def test_the_trail_of_a_sent_document_does_not_hold_its_name(request_: AppointmentRequest) -> None:
    send_document(request_, DocumentKind.REFERRAL_LETTER, "meniscus-mri.pdf", pdf_bytes())
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Document))
    assert "meniscus" not in str(entry.changes)


def test_a_file_missing_from_the_folder_is_a_404_not_a_server_error(
    request_: AppointmentRequest, documents_folder: Path
) -> None:
    document = send_document(request_, DocumentKind.INSURANCE_BACK, "c.png", png_bytes())
    (documents_folder / document.stored_name).unlink()
    assert client_for(FRONT_DESK).get(file_url(document)).status_code == 404


@pytest.fixture
def request_with_every_kind(request_: AppointmentRequest) -> AppointmentRequest:
    for kind in DocumentKind:
        send_document(request_, kind, f"{kind.value}-name.pdf", pdf_bytes())
    return request_


@pytest.mark.parametrize(
    ("role", "on_request", "on_intake"),
    [
        (FRONT_DESK, {"insurance_front", "insurance_back"}, None),
        (THERAPIST, set(), {"referral_letter", "prescription"}),
        (
            CLINIC_MANAGER,
            {"insurance_front", "insurance_back"},
            {"referral_letter", "prescription"},
        ),
    ],
)
def test_the_request_page_lists_the_cards_and_the_intake_page_the_letters(
    request_with_every_kind: AppointmentRequest,
    role: str,
    on_request: set[str],
    on_intake: set[str] | None,
) -> None:
    request = request_with_every_kind
    client = client_for(role)
    pages = {
        "request": (
            client.get(reverse("admin:intake_appointmentrequest_change", args=[request.pk])),
            on_request,
        ),
        "intake": (
            client.get(reverse("admin:intake_intake_change", args=[request.intake_id])),
            on_intake,
        ),
    }
    for page, (response, expected) in pages.items():
        if expected is None:
            assert response.status_code == 403, page
            continue
        html = response.content.decode()
        listed = {kind.value for kind in DocumentKind if f"{kind.value}-name.pdf" in html}
        assert listed == expected, page
        for document in request.documents.all():
            assert (file_url(document) in html) is (document.kind in expected), page
