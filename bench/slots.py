"""Benchmark: the free-slot search of a site with 10 therapists over 14 days, with 5,000
appointments booked, on PostgreSQL.

    .venv/bin/python bench/slots.py [--appointments 5000] [--repeat 200] [--seed 1]

Starts its own throwaway PostgreSQL (as the test suite does), applies the migrations, makes
one site open Monday to Saturday with 10 therapists working 8:00-17:00 on weekdays, and
bulk-loads the appointments: about 60% of the coming two weeks' initial-assessment times
booked, the rest a year of past visits (attended). Then times the search a patient's booking
page and the front desk's calendar run (`scheduling.selectors.site_free_slots`, the next 14
days) and prints its median and 95th percentile and its query count; the target is a p95
under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.staff_queue import migrated_database  # noqa: E402

TARGET_MS = 50
THERAPISTS = 10
DAYS = 14


def load(appointments: int, rng: random.Random) -> int:
    """The site, its therapists and hours, and the appointments; returns the site's id."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from intake.models import AppointmentRequest, Intake, Location, Patient, Therapist
    from scheduling.models import Appointment, AppointmentType, SiteHours, WorkingHours

    site = Location.objects.create(name="Riverside", address="1 River Rd", phone="555")
    SiteHours.objects.bulk_create(
        SiteHours(location=site, weekday=d, starts=clock(8), ends=clock(18)) for d in range(6)
    )
    therapists = []
    for n in range(THERAPISTS):
        user = get_user_model().objects.create(username=f"pt{n}", first_name="PT", last_name=str(n))
        therapist = Therapist.objects.create(user=user)
        therapist.locations.add(site)
        therapists.append(therapist)
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=t, location=site, weekday=d, starts=clock(8), ends=clock(17))
        for t in therapists
        for d in range(5)
    )
    kind = AppointmentType.objects.get(code=AppointmentType.INITIAL_ASSESSMENT)
    length = timedelta(minutes=kind.minutes)
    # Starts on the 45-minute grid of each working day: no two overlap for one therapist.
    today = timezone.localdate()

    def day_starts(day):  # type: ignore[no-untyped-def]
        first = timezone.make_aware(datetime.combine(day, clock(8)))
        return [first + length * i for i in range(12)] if day.weekday() < 5 else []

    future = [
        (t, s)
        for offset in range(1, DAYS + 1)
        for s in day_starts(today + timedelta(days=offset))
        for t in therapists
    ]
    future = rng.sample(future, int(len(future) * 0.6))
    past = [
        (t, s)
        for offset in range(1, 400)
        for s in day_starts(today - timedelta(days=offset))
        for t in therapists
    ]
    past = rng.sample(past, max(0, appointments - len(future)))
    # One request per appointment: the patients behind the diary.
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(
            first_name="Pat",
            last_name=f"Bench{n}",
            date_of_birth=datetime(1990, 1, 1).date(),
            email=f"p{n}@example.com",
            phone="555",
            preferred_contact="email",
        )
        for n in range(len(future) + len(past))
    )
    intakes = Intake.objects.bulk_create(
        Intake(
            patient=p,
            answers={},
            prescreen={},
            triage="routine",
            age_at_submission=30,
            needs_review=False,
        )
        for p in patients
    )
    requests = AppointmentRequest.objects.bulk_create(
        AppointmentRequest(
            intake=i,
            patient=p,
            reference=uuid.uuid4().hex[:12],
            submission_token=uuid.uuid4(),
            location=site,
            referral_source="self",
            payment="self_pay",
            status="scheduled",
            scheduled_at=now,
            scheduled_therapist=therapists[0],
            consent_version="bench",
            consented_at=now,
        )
        for i, p in zip(intakes, patients, strict=True)
    )
    rows = [
        Appointment(
            request=r,
            therapist=t,
            location=site,
            appointment_type=kind,
            starts_at=s,
            ends_at=s + length,
            busy_until=s + length,
            status="booked" if s > now else "attended",
        )
        for r, (t, s) in zip(requests, future + past, strict=True)
    ]
    Appointment.objects.bulk_create(rows, batch_size=2000)
    print(
        f"loaded {len(rows)} appointments ({len(future)} in the next {DAYS} days) "
        f"for {THERAPISTS} therapists"
    )
    return site.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with migrated_database("bench-slots-"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from scheduling.selectors import initial_assessment, site_free_slots

        site = load(options.appointments, random.Random(options.seed))
        kind = initial_assessment()

        def search() -> int:
            now = timezone.now()
            return len(
                site_free_slots(
                    location_id=site,
                    appointment_type=kind,
                    since=now,
                    until=now + timedelta(days=DAYS),
                )
            )

        search()  # warm the connection
        with CaptureQueriesContext(connection) as queries:
            found = search()
        timings = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            search()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        verdict = "met" if p95 < TARGET_MS else "NOT met"
        print(f"free slots found: {found} (quarter-hour starts, every therapist)")
        print(f"queries per search: {len(queries.captured_queries)}")
        print(
            f"free-slot search, {options.repeat} runs: median {statistics.median(timings):.1f} ms,"
            f" p95 {p95:.1f} ms; target p95 under {TARGET_MS} ms {verdict}"
        )


if __name__ == "__main__":
    main()
