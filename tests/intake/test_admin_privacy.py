"""The front desk never receives clinical detail: no answer, question, category, red flag
or score in any page it can open, and none in the clinical roles' absence. It sees each
request's triage level (emergency, urgent or routine), which is what scheduling needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.alert_links import acknowledge_token
from intake.models import CLINICAL_KINDS, AppointmentRequest, DocumentKind
from intake.questionnaire import KNEE_V1, ItemType
from staff.roles import FRONT_DESK, THERAPIST
from tests.intake.documents import documents_folder, pdf_bytes, png_bytes, send_document
from tests.intake.staff import client_for, therapist_at, urgent_request

pytestmark = pytest.mark.django_db
__all__ = ["documents_folder"]  # the fixture the documents are stored in

KNEE_NOTE = "It swells up like a balloon after the long Sunday runs."
# The patient's own name of the referral letter they sent can be clinical: the front desk
# never sees it, nor the letter.
LETTER_NAME = "MRI report torn medial meniscus.pdf"


def clinical_phrases(request: AppointmentRequest, *, with_level: bool = True) -> list[str]:
    """Everything clinical about this request's intake, as it could appear in a page;
    without the triage level if not `with_level` (the front desk may see that)."""
    intake = request.intake
    phrases = [*Category.labels, "score", "red flag", "red-flag", "pre-screen", "acknowledg"]
    if with_level:
        phrases += [*Triage.labels, "triage"]
    for link_id, value in intake.answers.items():
        item = KNEE_V1.by_link_id[link_id]
        phrases.append(item.text.en)
        if item.type == ItemType.CHOICE:
            phrases.append(item.option_text(value))
        elif item.type == ItemType.MULTI:
            phrases += [item.option_text(code) for code in value]
        elif item.type == ItemType.TEXT and value:
            phrases.append(value)
    if intake.knee_notes:
        phrases.append(intake.knee_notes)
    phrases += [
        document.original_name
        for document in request.documents.all()
        if document.kind in CLINICAL_KINDS
    ]
    for flag in intake.prescreen["red_flags"]:
        phrases += [flag["code"], flag["reason"]]
    for category in intake.prescreen["categories"]:
        phrases += category["reasons"]
    # Short option texts ("No", "Once") are everyday words; longer ones and codes are not.
    phrases = [phrase for phrase in phrases if len(phrase) >= 12 or "_" in phrase]
    if not with_level:
        return phrases
    # The triage as the staff pages show it: a badge with the level's name.
    return phrases + [f">{level.value.capitalize()}<" for level in Triage]


# Category codes as words ("gait" inside "navigate" is not one). Triage words alone are not
# checked: staff help texts say "urgent" about intakes in general, never about this one.
WHOLE_WORDS = Category.values


def leaks(html: str, phrases: list[str]) -> list[str]:
    text = html.lower()
    found = [phrase for phrase in phrases if phrase.lower() in text]
    found += [word for word in WHOLE_WORDS if re.search(rf"\b{re.escape(word)}\b", text)]
    return found


def export_period(request: AppointmentRequest) -> str:
    """The query string of a CSV export whose one day is the request's."""
    day = timezone.localdate(request.created_at).isoformat()
    return f"start={day}&end={day}"


def front_desk_pages(request: AppointmentRequest) -> list[str]:
    """Every page the front desk can open about this request and its patient."""
    pk, patient, location = request.pk, request.patient_id, request.location_id
    therapist = request.location.therapists.first()
    board = reverse("admin:intake_appointmentrequest_changelist")
    return [
        reverse("admin:index"),
        board,
        f"{board}?q={request.reference}",
        f"{board}?status=new&location__id__exact={location}&time=weekday_morning",
        f"{board}?overdue=yes&contact=email",
        reverse("admin:intake_appointmentrequest_change", args=[pk]),
        reverse("admin:intake_appointmentrequest_history", args=[pk]),
        # The schedule link leads to picking a free time on the calendar.
        reverse("admin:scheduling_appointment_book", args=[pk]),
        reverse("admin:scheduling_appointment_calendar") + f"?location={location}",
        reverse("admin:intake_appointmentrequest_cancel", args=[pk]),
        reverse("admin:intake_appointmentrequest_export"),
        f"{reverse('admin:intake_appointmentrequest_export')}?start=2000-01-01&end=2000-12-31",
        f"{reverse('admin:intake_appointmentrequest_export')}?{export_period(request)}",
        reverse("admin:intake_patient_changelist"),
        reverse("admin:intake_patient_change", args=[patient]),
        reverse("admin:intake_patient_history", args=[patient]),
        reverse("admin:intake_location_changelist"),
        reverse("admin:intake_location_change", args=[location]),
        reverse("admin:intake_therapist_changelist"),
        reverse("admin:intake_therapist_change", args=[therapist.pk]),
    ]


@pytest.fixture
def request_with_clinical_detail(documents_folder: Path) -> AppointmentRequest:
    request = urgent_request(
        knee_notes=KNEE_NOTE, notes="Please call after 5pm, I use a wheelchair ramp."
    )
    send_document(request, DocumentKind.REFERRAL_LETTER, LETTER_NAME, pdf_bytes())
    send_document(request, DocumentKind.PRESCRIPTION, "rx physio knee.pdf", pdf_bytes())
    send_document(request, DocumentKind.INSURANCE_FRONT, "card front.png", png_bytes())
    send_document(request, DocumentKind.INSURANCE_BACK, "card back.png", png_bytes())
    therapist = therapist_at(request.location)
    therapist.specialties.set(
        therapist.specialties.model.objects.filter(code__in=[Category.CARTILAGE])
    )
    return request


def test_front_desk_pages_carry_no_clinical_detail(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    phrases = clinical_phrases(request, with_level=False)
    client = client_for(FRONT_DESK)
    for url in front_desk_pages(request):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(response.content.decode(), phrases) == [], url


def test_front_desk_sees_the_triage_level_on_the_board_and_the_request(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    client = client_for(FRONT_DESK)
    for url in (
        reverse("admin:intake_appointmentrequest_changelist"),
        reverse("admin:intake_appointmentrequest_change", args=[request.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'class="triage-badge triage-urgent"' in html, url
        assert reverse("admin:intake_intake_change", args=[request.intake_id]) not in html, url


def test_front_desk_cannot_open_an_alert_even_from_its_email_link(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    alert = request.intake.alert
    client = client_for(FRONT_DESK)
    for url in (
        reverse("admin:intake_redflagalert_changelist"),
        reverse("admin:intake_redflagalert_change", args=[alert.pk]),
        reverse("admin:intake_redflagalert_acknowledge", args=[alert.pk]),
        reverse("admin:intake_redflagalert_acknowledge_link", args=[acknowledge_token(alert)]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert leaks(response.content.decode(), clinical_phrases(request)) == [], url


def test_front_desk_opens_the_insurance_cards_and_no_other_document(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    client = client_for(FRONT_DESK)
    page = client.get(reverse("admin:intake_appointmentrequest_change", args=[request.pk]))
    html = page.content.decode()
    assert "card front.png" in html
    assert "card back.png" in html
    for document in request.documents.all():
        url = reverse("admin:intake_appointmentrequest_document", args=[request.pk, document.pk])
        response = client.get(url)
        if document.kind in CLINICAL_KINDS:
            assert response.status_code == 403, document.kind
            assert url not in html
            assert leaks(response.content.decode(), clinical_phrases(request)) == []
        else:
            assert response.status_code == 200, document.kind
            assert url in html


def test_the_privacy_check_would_catch_a_leak(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    # The same pages for a therapist do show the clinical detail, so the check has teeth.
    request = request_with_clinical_detail
    phrases = clinical_phrases(request)
    client = client_for(THERAPIST)
    intake_page = client.get(reverse("admin:intake_intake_change", args=[request.intake_id]))
    assert "Is your knee stuck so that you cannot straighten it all the way?" in leaks(
        intake_page.content.decode(), phrases
    )
    assert LETTER_NAME in leaks(intake_page.content.decode(), phrases)
    board = client.get(reverse("admin:intake_appointmentrequest_changelist"))
    assert ">Urgent<" in leaks(board.content.decode(), phrases)


def test_front_desk_saving_a_request_cannot_reach_the_intake(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    client: Client = client_for(FRONT_DESK)
    url = reverse("admin:intake_appointmentrequest_change", args=[request.pk])
    html = client.get(url).content.decode()
    assert 'name="intake"' not in html
    assert reverse("admin:intake_intake_change", args=[request.intake_id]) not in html


def test_front_desk_reads_the_booking_note_and_therapists_the_knee_note(
    request_with_clinical_detail: AppointmentRequest,
) -> None:
    request = request_with_clinical_detail
    change = reverse("admin:intake_appointmentrequest_change", args=[request.pk])
    front_desk = client_for(FRONT_DESK).get(change).content.decode()
    assert "wheelchair ramp" in front_desk
    assert KNEE_NOTE not in front_desk
    intake_page = reverse("admin:intake_intake_change", args=[request.intake_id])
    therapist = client_for(THERAPIST).get(intake_page).content.decode()
    assert KNEE_NOTE in therapist
    assert "wheelchair ramp" in therapist
