"""On a phone, a patient finishes the intake, books one of the free times offered at its end,
and finds the booking on their status page (issue 11)."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from intake.models import AppointmentRequest, Location, RequestStatus
from scheduling.models import Appointment
from tests.e2e.patient import complete_intake
from tests.e2e.support import E2E, Screen
from tests.factories import valid_answers
from tests.intake.staff import therapist_at
from tests.scheduling.conftest import open_site, works

pytestmark = E2E

LOCATION = "Riverside"


def test_a_patient_books_a_time_at_the_end_of_the_intake_and_sees_it_on_the_status_page(
    site: str, screen: Screen
) -> None:
    location = Location.objects.get(name=LOCATION)
    open_site(location)
    # Until 20:00: the patient says weekday evenings suit them (the site closes at 18:00).
    works(therapist_at(location, user__first_name="Theo"), location, starts=8, ends=20)
    page = screen.page
    page.goto(site + reverse("intake:start"))

    reference = complete_intake(page, valid_answers(), location=LOCATION, on_page=screen.shot)
    page.get_by_role("link", name="Choose a time for your visit now").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time for your first visit")
    screen.shot("choose-a-time")
    first = page.locator("button.slot-time").first
    chosen = first.get_attribute("aria-label") or ""
    first.tap()

    # Back on the status page: the visit is booked, at the time tapped.
    expect(page.get_by_role("heading", name="Your visit is booked")).to_be_visible()
    day, time = re.fullmatch(r"\w+ (\d+ \w+) at (.+)", chosen).groups()  # type: ignore[union-attr]
    expect(page.locator(".status-when")).to_contain_text(day)
    expect(page.locator(".status-when")).to_contain_text(time)
    expect(page.get_by_role("link", name="Move or cancel my visit")).to_be_visible()
    screen.shot("status-booked")
    assert screen.csp_violations == []

    request = AppointmentRequest.objects.get(reference=reference)
    assert request.status == RequestStatus.SCHEDULED
    appointment = Appointment.objects.get(request=request)
    assert appointment.booked_by_patient
    assert appointment.therapist.user.first_name == "Theo"
    # The status page is the one the signed link opens, on a later visit too.
    page.reload()
    expect(page.get_by_role("heading", name="Your visit is booked")).to_be_visible()
