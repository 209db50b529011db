"""Documents a patient sends from the status page (a referral letter, a prescription, both
sides of an insurance card): type from the content, size bounded, stored privately under a
random name, listed back to the patient. Who on the staff opens them: test_document_access."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from intake.models import AppointmentRequest, Document, DocumentKind, RequestStatus
from intake.services.documents import DOCUMENTS_PER_REQUEST, document_check
from intake.status_links import status_path, status_token
from tests.factories import LocationFactory, submit_intake
from tests.intake.documents import (
    ELF_BYTES,
    FILES,
    JPEG_BYTES,
    documents_folder,
    pdf_bytes,
    png_bytes,
    send_document,
    upload_url,
)
from tests.intake.site_client import complete_intake

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_folder")]
__all__ = ["documents_folder"]  # the fixture, used by every test here

MB = 1024 * 1024


@pytest.fixture
def request_() -> AppointmentRequest:
    return submit_intake(location=LocationFactory())


def post_file(
    appointment_request: AppointmentRequest, kind: str, name: str, content: bytes
) -> tuple[int, str]:
    response = Client().post(
        upload_url(appointment_request, kind),
        {f"{kind}-file": SimpleUploadedFile(name, content, "application/pdf")},
    )
    return response.status_code, response.content.decode()


# --- the patient sends ---


@pytest.mark.parametrize("content_type", list(FILES))
def test_a_real_file_of_each_allowed_type_is_stored_privately_under_a_random_name(
    request_: AppointmentRequest, documents_folder: Path, content_type: str
) -> None:
    name, content = FILES[content_type]
    document = send_document(request_, DocumentKind.REFERRAL_LETTER, name, content)
    assert document.content_type == content_type
    assert document.original_name == name
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    stored = documents_folder / document.stored_name
    assert stored.read_bytes() == content
    assert name.rsplit(".", 1)[0] not in stored.name
    assert len(stored.stem) == 32


def test_a_jpeg_may_be_named_jpeg_and_the_extension_is_not_case_sensitive(
    request_: AppointmentRequest,
) -> None:
    document = send_document(request_, DocumentKind.INSURANCE_FRONT, "IMG_2231.JPEG", JPEG_BYTES)
    assert document.content_type == "image/jpeg"
    assert document.stored_name.endswith(".jpg")


def test_the_status_page_thanks_the_patient_and_lists_what_they_sent(
    request_: AppointmentRequest,
) -> None:
    client = Client()
    send_document(request_, DocumentKind.PRESCRIPTION, "rx.pdf", pdf_bytes(), client)
    send_document(request_, DocumentKind.INSURANCE_BACK, "back.png", png_bytes(), client)
    html = client.get(status_path(request_)).content.decode()
    assert "Thank you. We have your prescription." in html
    assert "Prescription: rx.pdf" in html
    assert "Insurance card (back): back.png" in html
    # A list, never a link to a file: the status link is not a way to read them.
    assert "/admin/" not in html


def test_the_status_page_offers_a_form_per_kind(request_: AppointmentRequest) -> None:
    # The forms post to the link the page was opened with (a token made a second later
    # would differ: it carries its time).
    token = status_token(request_)
    html = Client().get(reverse("intake:status", args=[token])).content.decode()
    assert "Add your referral letter, prescription or insurance card" in html
    for kind in DocumentKind:
        assert f'name="{kind.value}-file"' in html
        assert reverse("intake:status_document", args=[token, kind.value]) in html
    assert html.count('enctype="multipart/form-data"') == len(DocumentKind)


def test_one_patients_status_page_does_not_list_anothers_documents(
    request_: AppointmentRequest,
) -> None:
    send_document(request_, DocumentKind.REFERRAL_LETTER, "dr-jones.pdf", pdf_bytes())
    other = submit_intake(location=request_.location)
    assert "dr-jones.pdf" not in Client().get(status_path(other)).content.decode()


def test_an_oversized_file_is_refused_with_the_limit_named(request_: AppointmentRequest) -> None:
    content = pdf_bytes() + b"%" * (10 * MB)
    status, html = post_file(request_, DocumentKind.REFERRAL_LETTER, "scan.pdf", content)
    assert status == 400
    # Stopped while it arrived (intake.site.documents.DocumentSizeLimit): its size unknown.
    assert "This file is larger than 10.0\xa0MB. Files may be at most 10.0\xa0MB" in html
    assert "Choose a file to send." not in html
    assert not Document.objects.exists()


def test_the_upload_is_still_protected_from_cross_site_posts(
    request_: AppointmentRequest,
) -> None:
    client = Client(enforce_csrf_checks=True)
    file = {"prescription-file": SimpleUploadedFile("rx.pdf", pdf_bytes())}
    response = client.post(upload_url(request_, DocumentKind.PRESCRIPTION), file)
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_the_size_limit_is_a_setting(request_: AppointmentRequest, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    status, html = post_file(
        request_, DocumentKind.INSURANCE_FRONT, "card.png", png_bytes() + b"\0" * 70_000
    )
    assert status == 400
    assert "Files may be at most 64.0\xa0KB" in html


def test_a_renamed_executable_is_refused_and_nothing_is_written(
    request_: AppointmentRequest, documents_folder: Path
) -> None:
    status, html = post_file(request_, DocumentKind.REFERRAL_LETTER, "letter.pdf", ELF_BYTES)
    assert status == 400
    assert "This file is not a PDF, JPEG or PNG, whatever its name says." in html
    assert not Document.objects.exists()
    assert not documents_folder.exists() or not any(documents_folder.iterdir())


def test_a_file_whose_content_does_not_match_its_name_is_refused(
    request_: AppointmentRequest,
) -> None:
    status, html = post_file(request_, DocumentKind.REFERRAL_LETTER, "letter.pdf", png_bytes())
    assert status == 400
    assert "does not match what it contains. Rename it to end in .png" in html
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["letter.exe", "letter.docx", "letter", "letter.pdf.exe"])
def test_a_name_of_another_type_is_refused(request_: AppointmentRequest, name: str) -> None:
    status, html = post_file(request_, DocumentKind.REFERRAL_LETTER, name, pdf_bytes())
    assert status == 400
    assert "We accept PDF, JPEG or PNG files only" in html


def test_an_empty_file_or_none_at_all_says_what_to_do(request_: AppointmentRequest) -> None:
    status, html = post_file(request_, DocumentKind.PRESCRIPTION, "rx.pdf", b"")
    assert (status, "This file is empty." in html) == (400, True)
    response = Client().post(upload_url(request_, DocumentKind.PRESCRIPTION), {})
    assert response.status_code == 400
    assert "Choose a file to send." in response.content.decode()


def test_the_patients_file_name_is_kept_as_a_label_only(request_: AppointmentRequest) -> None:
    document = send_document(
        request_, DocumentKind.REFERRAL_LETTER, "../../etc/" + "x" * 300 + ".pdf", pdf_bytes()
    )
    assert "/" not in document.original_name
    assert len(document.original_name) == 120
    assert document.original_name.endswith(".pdf")


def test_an_unknown_kind_or_a_forged_link_stores_nothing(request_: AppointmentRequest) -> None:
    client = Client()
    file = {"other-file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    assert client.post(upload_url(request_, "other"), file).status_code == 302
    forged = reverse("intake:status_document", args=["forged", "prescription"])
    file = {"prescription-file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    assert client.post(forged, file).status_code == 404
    assert not Document.objects.exists()


def test_a_request_takes_a_bounded_number_of_documents(request_: AppointmentRequest) -> None:
    client = Client()
    for n in range(DOCUMENTS_PER_REQUEST):
        send_document(request_, DocumentKind.INSURANCE_FRONT, f"card-{n}.png", png_bytes(), client)
    status, html = post_file(request_, DocumentKind.INSURANCE_FRONT, "card.png", png_bytes())
    assert status == 400
    assert "You have sent as many documents as we can take online." in html
    assert request_.documents.count() == DOCUMENTS_PER_REQUEST


def test_a_cancelled_request_takes_no_more_documents(request_: AppointmentRequest) -> None:
    AppointmentRequest.objects.filter(pk=request_.pk).update(status=RequestStatus.CANCELLED)
    status, _ = post_file(request_, DocumentKind.REFERRAL_LETTER, "letter.pdf", pdf_bytes())
    assert status == 302
    assert not Document.objects.exists()
    html = Client().get(status_path(request_)).content.decode()
    assert 'name="referral_letter-file"' not in html


def test_the_confirmation_page_points_to_the_status_page_for_documents(client: Client) -> None:
    complete_intake(client, LocationFactory().pk)
    html = client.get(reverse("intake:confirmation")).content.decode()
    assert "add your referral letter, prescription or insurance card, now or later" in html


def test_the_check_names_the_size_of_a_file_too_large(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    upload = SimpleUploadedFile("card.png", png_bytes() + b"\0" * (100 * 1024))
    with pytest.raises(ValidationError) as refused:
        document_check(upload=upload)
    assert refused.value.messages == [
        "This file is 100.1\xa0KB. Files may be at most 64.0\xa0KB: take the photo again at a "
        "lower resolution, or scan at a lower quality."
    ]
