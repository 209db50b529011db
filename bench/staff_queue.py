"""Benchmark: the review queue and the request board with 100,000 intakes in PostgreSQL.

    .venv/bin/python bench/staff_queue.py [--intakes 100000] [--repeat 30] [--seed 1]

Starts its own throwaway PostgreSQL (as the test suite does), applies the migrations,
bulk-loads intakes, patients and requests shaped like a few years of a clinic (most
reviewed and closed, a few thousand waiting), then times whole admin pages through Django's
test client, signed in as a therapist or the front desk: the first page, a filter and a
search of each list. Prints the median and 95th percentile; the target is under 150 ms at
the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import PostgresServer  # noqa: E402

TARGET_MS = 150
BATCH = 5000
ANSWER_POOL = 400  # distinct answer sets, reused: the pages never read them all


def configure(database_url: str, var_dir: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "CLINIC_ENV": "development",
            "DEBUG": "false",
            "VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()


@contextmanager
def migrated_database(prefix: str) -> Iterator[None]:
    """A throwaway PostgreSQL (as the test suite starts one) with the migrations applied,
    and Django set up to use it; stopped and deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        root = Path(folder)
        postgres = PostgresServer(root)
        postgres.start()
        try:
            configure(postgres.url, root / "var")
            from django.core.management import call_command
            from django.db import connection

            with connection._nodb_cursor() as cursor:
                cursor.execute("CREATE DATABASE clinic")
            call_command("migrate", verbosity=0)
            yield
        finally:
            postgres.stop()


def load(count: int, rng: random.Random, ruleset: str | None = None) -> dict[str, object]:
    """Bulk-load `count` intakes with their patients and requests, screened with `ruleset`
    (the current one when None); returns the staff users."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from conditions.categories import Triage
    from conditions.prescreen import prescreen
    from conditions.rulesets import CURRENT, ruleset_get
    from intake.demo import random_answers
    from intake.models import (
        AppointmentRequest,
        ContactMethod,
        Intake,
        Location,
        Patient,
        RequestStatus,
        Therapist,
        TimeOfDay,
    )
    from intake.questionnaire import VERSION, validate
    from intake.services.submission import REFERENCE_ALPHABET
    from staff import roles
    from tests.factories import UserFactory

    sites = [
        Location.objects.create(name=f"Site {n}", address=f"{n} Main St", phone="555")
        for n in range(3)
    ]
    therapist_group = Group.objects.get(name=roles.THERAPIST)
    therapists = []
    for n in range(6):
        user = UserFactory(username=f"therapist{n}")
        user.groups.add(therapist_group)
        therapist = Therapist.objects.create(user=user)
        therapist.locations.set([sites[n % len(sites)]])
        therapists.append(therapist)
    front_desk = UserFactory(username="frontdesk")
    front_desk.groups.add(Group.objects.get(name=roles.FRONT_DESK))

    pool = []
    for _ in range(ANSWER_POOL):
        triage = rng.choices(list(Triage), weights=[75, 17, 8])[0]
        age = rng.randint(16, 80)
        answers = random_answers(rng, triage=triage)
        result = prescreen(validate(answers, age), age, ruleset_get(ruleset or CURRENT.version))
        pool.append((answers, age, result.as_dict(), result))

    now = timezone.now()
    span = timedelta(days=3 * 365)
    first_names = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie"]
    last_names = ["Smith", "Garcia", "Nguyen", "Okafor", "Kowalski", "Haddad", "Berg", "Silva"]
    references = set()
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        patients = Patient.objects.bulk_create(
            [
                Patient(
                    first_name=rng.choice(first_names),
                    last_name=f"{rng.choice(last_names)}{rng.randint(1, 5000)}",
                    date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
                    email=f"patient{start + n}@example.com",
                    phone=f"555-{start + n:07d}",
                    preferred_contact=rng.choice(ContactMethod.values),
                )
                for n in range(size)
            ]
        )
        intakes = []
        for n, patient in enumerate(patients):
            answers, age, stored, result = rng.choice(pool)
            # Older intakes are spread over three years; the newest few days are busiest.
            age_of = (
                timedelta(hours=rng.uniform(0, 96))
                if start + n >= count - 600
                else timedelta(seconds=rng.uniform(0, span.total_seconds()))
            )
            submitted = now - age_of
            waiting = age_of < timedelta(days=4) or rng.random() < 0.02
            intakes.append(
                Intake(
                    patient=patient,
                    questionnaire_version=VERSION,
                    answers=answers,
                    age_at_submission=age,
                    prescreen=stored,
                    ruleset_version=result.ruleset,
                    triage=result.triage,
                    top_category=result.top_category or "",
                    needs_review=result.needs_review,
                    submitted_at=submitted,
                    reviewed_at=None
                    if waiting
                    else submitted + timedelta(hours=rng.uniform(1, 48)),
                    assigned_to=rng.choice(therapists).user if rng.random() < 0.5 else None,
                )
            )
        intakes = Intake.objects.bulk_create(intakes)
        requests = []
        for intake in intakes:
            reference = ""
            while not reference or reference in references:
                code = "".join(rng.choices(REFERENCE_ALPHABET, k=8))
                reference = f"{code[:4]}-{code[4:]}"
            references.add(reference)
            recent = now - intake.submitted_at < timedelta(days=4)
            status = (
                rng.choice([RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.NO_RESPONSE])
                if recent
                else rng.choices(
                    [RequestStatus.COMPLETED, RequestStatus.CANCELLED, RequestStatus.SCHEDULED],
                    weights=[85, 12, 3],
                )[0]
            )
            site = rng.choice(sites)
            scheduled = status in (RequestStatus.SCHEDULED, RequestStatus.COMPLETED)
            requests.append(
                AppointmentRequest(
                    intake=intake,
                    patient_id=intake.patient_id,
                    reference=reference,
                    submission_token=uuid.uuid4(),
                    location=site,
                    preferred_times=rng.sample(TimeOfDay.values, rng.randint(1, 3)),
                    referral_source="self",
                    payment="self_pay",
                    status=status,
                    scheduled_at=intake.submitted_at + timedelta(days=7) if scheduled else None,
                    scheduled_therapist=therapists[sites.index(site)] if scheduled else None,
                    cancel_reason="Booked elsewhere" if status == RequestStatus.CANCELLED else "",
                    consent_version="bench",
                    consented_at=intake.submitted_at,
                    created_at=intake.submitted_at,
                )
            )
        AppointmentRequest.objects.bulk_create(requests)
        print(f"  loaded {start + size:,} intakes", end="\r", flush=True)
    print()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, on a live database
    return {"therapist": therapists[0].user, "front_desk": front_desk}


def timed(client: object, url: str, repeat: int) -> tuple[float, float]:
    for _ in range(3):  # warm caches and the connection
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    with migrated_database("bench-staff-"):
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        users = load(options.intakes, random.Random(options.seed))
        print(f"loaded {options.intakes:,} intakes in {time.perf_counter() - started:.0f} s")

        from intake.models import AppointmentRequest

        sample = AppointmentRequest.objects.select_related("patient").order_by("?").first()
        queue = reverse("admin:intake_intake_changelist")
        board = reverse("admin:intake_appointmentrequest_changelist")
        last_name = sample.patient.last_name
        pages = [
            ("therapist", "queue: first page (waiting for review)", queue),
            (
                "therapist",
                "queue: filter urgent, all states",
                f"{queue}?reviewed=all&triage__exact=urgent",
            ),
            (
                "therapist",
                "queue: filter site + assigned to me",
                f"{queue}?site={sample.location_id}&assigned=me",
            ),
            (
                "therapist",
                "queue: search a name, all states",
                f"{queue}?reviewed=all&q={last_name}",
            ),
            (
                "therapist",
                "queue: search a reference, all",
                f"{queue}?reviewed=all&q={sample.reference}",
            ),
            ("front_desk", "board: first page (open requests)", board),
            (
                "front_desk",
                "board: filter completed at a site",
                f"{board}?status=completed&location__id__exact={sample.location_id}",
            ),
            ("front_desk", "board: filter over a business day", f"{board}?overdue=yes"),
            ("front_desk", "board: search a name, all", f"{board}?status=all&q={last_name}"),
            (
                "front_desk",
                "board: search a reference, all",
                f"{board}?status=all&q={sample.reference}",
            ),
        ]
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        print(f"{'page':<42} {'median':>8} {'p95':>8}  (ms, {options.repeat} requests each)")
        worst = 0.0
        for role, label, url in pages:
            median, p95 = timed(clients[role], url, options.repeat)
            worst = max(worst, p95)
            print(f"{label:<42} {median:8.1f} {p95:8.1f}")
        verdict = "met" if worst < TARGET_MS else "MISSED"
        print(f"worst p95 {worst:.1f} ms: target under {TARGET_MS} ms {verdict}")


if __name__ == "__main__":
    main()
