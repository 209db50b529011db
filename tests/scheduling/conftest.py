"""A site open Monday to Saturday with a therapist who works there, in the clinic's zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from intake.models import AppointmentRequest, Location, Therapist
from scheduling.models import SiteHours, WorkingHours
from tests.factories import LocationFactory, patient_details, submit_intake
from tests.intake.staff import therapist_at


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def open_site(location: Location) -> None:
    SiteHours.objects.bulk_create(
        SiteHours(location=location, weekday=d, starts=time(8), ends=time(18)) for d in range(6)
    )


def works(therapist: Therapist, location: Location, starts: int = 8, ends: int = 17) -> None:
    WorkingHours.objects.bulk_create(
        WorkingHours(
            therapist=therapist, location=location, weekday=d, starts=time(starts), ends=time(ends)
        )
        for d in range(5)
    )


@pytest.fixture
def site(db: None) -> Location:
    location = LocationFactory(name="Riverside")
    open_site(location)
    return location


@pytest.fixture
def therapist(site: Location) -> Therapist:
    therapist = therapist_at(site, user__first_name="Theo", user__last_name="Therapist")
    works(therapist, site)
    return therapist


def routine_request(site: Location, number: int = 0, **changes: object) -> AppointmentRequest:
    return submit_intake(
        location=site,
        patient=patient_details(email=f"runner{number}@example.com", last_name=f"Runner{number}"),
        **changes,
    )
