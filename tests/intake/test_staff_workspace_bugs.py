"""Bugs found working the staff pages as a therapist, a receptionist and a manager would:
each test failed before its fix."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conditions.categories import Triage
from intake.models import AppointmentRequest, Intake, RequestStatus
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import LocationFactory
from tests.intake.staff import (
    client_for,
    routine_request,
    staff_user,
    therapist_at,
    urgent_request,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:intake_intake_changelist")
BOARD = reverse("admin:intake_appointmentrequest_changelist")


def tile_url(html: str, label: str) -> str:
    """The link of the dashboard tile whose label starts with `label`."""
    for href, body in re.findall(
        r'<a class="dashboard-tile[^"]*" href="([^"]+)">(.*?)</a>', html, re.S
    ):
        if label in body:
            return href.replace("&amp;", "&")
    raise AssertionError(f"no tile {label!r}")


def test_the_patient_page_lists_the_intakes_with_their_date() -> None:
    request = urgent_request()
    html = (
        client_for(THERAPIST)
        .get(reverse("admin:intake_patient_change", args=[request.patient_id]))
        .content.decode()
    )
    intake_url = reverse("admin:intake_intake_change", args=[request.intake_id])
    day = timezone.localtime(request.intake.submitted_at).strftime("%-d %b %Y")
    assert f'<a href="{intake_url}">{day}</a>' in html


def test_the_urgent_tile_opens_only_urgent_and_emergency_intakes_waiting() -> None:
    urgent = urgent_request()
    routine = routine_request(last_name="Routinely")
    assert routine.intake.triage == Triage.ROUTINE
    client = client_for(THERAPIST)
    url = tile_url(client.get(reverse("admin:index")).content.decode(), "urgent intakes waiting")
    html = client.get(url).content.decode()
    assert urgent.reference in html
    assert routine.reference not in html


def test_the_appointments_today_tile_opens_only_todays_appointments() -> None:
    location = LocationFactory()
    therapist = therapist_at(location)
    today, later = routine_request(location, last_name="Today"), routine_request(location)
    now = timezone.localtime()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    for request, when in ((today, noon), (later, noon + timedelta(days=3))):
        AppointmentRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.SCHEDULED, scheduled_at=when, scheduled_therapist=therapist
        )
    client = client_for(FRONT_DESK)
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert re.search(
        r'tile-figure">1</span>\s*<span class="tile-label">appointments today', dashboard
    )
    html = client.get(tile_url(dashboard, "appointments today")).content.decode()
    assert today.reference in html
    assert later.reference not in html


def test_the_queue_has_one_filter_for_what_still_waits() -> None:
    flagged = urgent_request()
    Intake.objects.filter(pk=flagged.intake_id).update(needs_review=True)
    calm = routine_request()
    Intake.objects.filter(pk=calm.intake_id).update(needs_review=False)
    client = client_for(THERAPIST)
    html = client.get(QUEUE).content.decode()
    assert "By needs review" not in html
    assert html.count("By what still waits") == 1
    flagged_only = client.get(f"{QUEUE}?reviewed=flagged").content.decode()
    assert flagged.reference in flagged_only
    assert calm.reference not in flagged_only


def test_assigned_to_offers_therapists_by_name_and_not_the_manager() -> None:
    request = urgent_request()
    therapist_at(
        request.location,
        user__first_name="Theo",
        user__last_name="Reviewer",
        user__username="treviewer",
    )
    staff_user(CLINIC_MANAGER, first_name="Mona", last_name="Manager", username="mmanager")
    html = (
        client_for(THERAPIST)
        .get(reverse("admin:intake_intake_change", args=[request.intake_id]))
        .content.decode()
    )
    select = re.search(r'<select name="assigned_to".*?</select>', html, re.S)
    assert select is not None
    assert ">Theo Reviewer</option>" in select.group(0)
    assert "treviewer" not in select.group(0)
    assert "Mona" not in select.group(0)


def test_a_front_desk_user_refused_a_clinical_page_stays_in_the_staff_pages() -> None:
    request = urgent_request()
    response = client_for(FRONT_DESK).get(
        reverse("admin:intake_intake_change", args=[request.intake_id])
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Knee clinic staff" in html
    assert f'<a href="{reverse("admin:index")}">Back to the dashboard</a>' in html


def test_a_visitor_refused_a_patient_page_still_gets_the_patient_site() -> None:
    # The patient site's own 403 (from a view outside the staff pages) is unchanged.
    from django.test import RequestFactory

    from clinic.errors import permission_denied

    response = permission_denied(RequestFactory().get("/status/x/"))
    assert response.status_code == 403
    assert "Go to our home page" in response.content.decode()
