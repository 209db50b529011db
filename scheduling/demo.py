"""Demo availability for `seed_demo` (named in settings.DEMO_SEEDERS): opening hours at every
site, each demo therapist's week, a clinic-wide closure, so `make run` offers free times."""

from __future__ import annotations

import contextlib
import random
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.models import AppointmentRequest, Location, Therapist
from scheduling.models import Closure, SiteHours, WorkingHours
from scheduling.selectors import initial_assessment, site_free_slots
from scheduling.services import appointment_book

DEMO_SITE_HOURS = {
    **{weekday: (time(8), time(18)) for weekday in range(5)},
    5: (time(8), time(12)),
}
# Mornings at the first site, afternoons at the second; Saturdays at the first.
DEMO_SHIFTS = ((time(8), time(12, 30)), (time(13), time(18)))


def demo_availability_ensure() -> None:
    """Idempotent: only fills what is missing."""
    locations = list(Location.objects.order_by("name"))
    for location in locations:
        if not SiteHours.objects.filter(location=location).exists():
            SiteHours.objects.bulk_create(
                SiteHours(location=location, weekday=weekday, starts=opens, ends=closes)
                for weekday, (opens, closes) in DEMO_SITE_HOURS.items()
            )
    for index, therapist in enumerate(Therapist.objects.prefetch_related("locations")):
        if WorkingHours.objects.filter(therapist=therapist).exists():
            continue
        sites = sorted(therapist.locations.all(), key=lambda location: location.name)
        rows = []
        for weekday in range(5):
            for shift, (starts, ends) in enumerate(DEMO_SHIFTS):
                if not sites:
                    break
                site = sites[(shift + index + weekday) % len(sites)]
                rows.append(
                    WorkingHours(
                        therapist=therapist,
                        location=site,
                        weekday=weekday,
                        starts=starts,
                        ends=ends,
                    )
                )
        if sites:
            rows.append(
                WorkingHours(
                    therapist=therapist, location=sites[0], weekday=5, starts=time(8), ends=time(12)
                )
            )
        WorkingHours.objects.bulk_create(rows)
    # A holiday three weeks out, clinic-wide: the calendar and the patients' times skip it.
    holiday = timezone.localdate() + timedelta(days=21)
    while holiday.weekday() >= 5:
        holiday += timedelta(days=1)
    if not Closure.objects.exists():
        Closure.objects.create(day=holiday, name="Staff training day")


def demo_book(*, appointment_request: AppointmentRequest, rng: random.Random) -> None:
    """Book a demo request into one of the first free times (``DEMO_BOOKING``)."""
    now = timezone.now()
    slots = site_free_slots(
        location_id=appointment_request.location_id,
        appointment_type=initial_assessment(),
        since=now + timedelta(days=1),
        until=now + timedelta(days=15),
    )
    if not slots:
        return
    slot = rng.choice(slots[:60])
    # The demo simply leaves a request waiting when its time went.
    with contextlib.suppress(ValidationError):
        appointment_book(
            appointment_request=appointment_request,
            therapist=Therapist.objects.get(pk=slot.therapist_id),
            starts_at=slot.starts_at,
            appointment_type=initial_assessment(),
            by_patient=False,
        )
