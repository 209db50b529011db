"""The therapist's intake page is the place to work: how to reach the patient, the request,
the referrer and the patient's notes; the review beside the answers; "Save and next"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conditions.categories import Triage
from intake.models import AppointmentRequest, Intake, Review
from staff.roles import THERAPIST
from tests.intake.staff import client_for, routine_request, urgent_request

pytestmark = pytest.mark.django_db


def page(pk: int) -> str:
    return reverse("admin:intake_intake_change", args=[pk])


def review_url(pk: int) -> str:
    return reverse("admin:intake_intake_review", args=[pk])


@pytest.fixture
def client() -> Client:
    return client_for(THERAPIST)


def test_the_intake_page_says_how_to_reach_the_patient_and_who_referred(client: Client) -> None:
    request = urgent_request(
        referrer_name="Dr Ada Hart", referrer_practice="Hill Surgery", notes="Call after 5pm."
    )
    html = client.get(page(request.intake_id)).content.decode()
    patient = request.patient
    assert f'href="tel:{patient.phone}"' in html
    assert f'href="mailto:{patient.email}"' in html
    assert patient.get_preferred_contact_display() in html
    assert reverse("admin:intake_appointmentrequest_change", args=[request.pk]) in html
    assert request.get_status_display() in html
    assert "Dr Ada Hart, Hill Surgery" in html
    assert "Call after 5pm." in html
    # The review form is on the same page, starting on the pre-screen's category and level.
    assert f'action="{review_url(request.intake_id)}"' in html
    assert "Save and next" in html
    assert f'<option value="{request.intake.top_category}" selected>' in html


def queue_of_three() -> list[AppointmentRequest]:
    """Two urgent intakes (older first) and a routine one: the queue's order."""
    now = timezone.now()
    first = urgent_request()
    second = urgent_request()
    third = routine_request()
    for n, request in enumerate((first, second, third)):
        Intake.objects.filter(pk=request.intake_id).update(
            submitted_at=now - timedelta(hours=9 - n)
        )
    return [first, second, third]


def test_a_disagreement_with_save_and_next_lands_on_the_next_intake(client: Client) -> None:
    first, second, _third = queue_of_three()
    other = "patellofemoral" if first.intake.top_category != "patellofemoral" else "gait"
    response = client.post(
        review_url(first.intake_id),
        {
            "form": "quick",
            "category": other,
            "triage": "routine",
            "note": "Reads as PFPS.",
            "_next": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page(second.intake_id)
    review = Review.objects.get(intake=first.intake_id)
    assert (review.agrees, review.category, review.note) == (False, other, "Reads as PFPS.")
    assert (review.prescreen_triage, review.triage) == (Triage.URGENT, Triage.ROUTINE)
    # The therapist's level is recorded beside the pre-screen's: the intake's stays.
    assert Intake.objects.get(pk=first.intake_id).triage == Triage.URGENT


def test_keeping_the_prescreens_category_is_agreement_and_next_goes_on_in_order(
    client: Client,
) -> None:
    first, second, third = queue_of_three()
    response = client.post(
        review_url(second.intake_id),
        {
            "form": "quick",
            "category": second.intake.top_category,
            "triage": "urgent",
            "note": "",
            "_next": "1",
        },
    )
    assert response["Location"] == page(third.intake_id)
    assert Review.objects.get(intake=second.intake_id).agrees is True
    # After the last one, back to the top of what still waits.
    response = client.post(
        review_url(third.intake_id),
        {"form": "quick", "category": third.intake.top_category, "triage": "routine", "_next": "1"},
    )
    assert response["Location"] == page(first.intake_id)


def test_a_disagreement_without_a_note_is_refused_and_keeps_what_was_typed(
    client: Client,
) -> None:
    request = urgent_request()
    other = "patellofemoral" if request.intake.top_category != "patellofemoral" else "gait"
    response = client.post(
        review_url(request.intake_id),
        {"form": "quick", "category": other, "triage": "routine", "note": "  ", "_next": "1"},
    )
    assert response.status_code == 200
    assert "Say why you chose a different category." in response.content.decode()
    assert not Review.objects.exists()


def test_the_dashboard_shows_triage_agreement_per_therapist(client: Client) -> None:
    request = urgent_request()
    client.post(
        review_url(request.intake_id),
        {"form": "quick", "category": request.intake.top_category, "triage": "urgent"},
    )
    html = client.get(reverse("admin:index")).content.decode()
    assert "Triage level: the therapist" in html
    assert "1 of 1" in html


def test_the_queue_is_called_the_review_queue(client: Client) -> None:
    html = client.get(reverse("admin:intake_intake_changelist")).content.decode()
    assert "<h1>Review queue</h1>" in html
