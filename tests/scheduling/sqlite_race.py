"""Ten threads book one slot on the embedded SQLite default (run as a program by
test_sqlite_booking.py, with DATABASE_URL naming a fresh SQLite file); prints one line per
attempt: "booked" or "taken"."""

from __future__ import annotations

import os
import sys
import threading

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    assert connection.vendor == "sqlite"
    call_command("migrate", verbosity=0)

    from scheduling.selectors import initial_assessment
    from scheduling.services import SlotTaken, appointment_book
    from tests.factories import LocationFactory
    from tests.intake.staff import therapist_at
    from tests.scheduling.conftest import at, next_monday, open_site, routine_request, works

    site = LocationFactory(name="Riverside")
    open_site(site)
    therapist = therapist_at(site)
    works(therapist, site)
    requests = [routine_request(site, n) for n in range(10)]
    starts_at = at(next_monday(), 10)
    barrier = threading.Barrier(len(requests))

    def attempt(request: object) -> None:
        try:
            barrier.wait()
            appointment_book(
                appointment_request=request,  # type: ignore[arg-type]
                therapist=therapist,
                starts_at=starts_at,
                appointment_type=initial_assessment(),
                by_patient=True,
            )
            print("booked", flush=True)
        except SlotTaken:
            print("taken", flush=True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from scheduling.models import Appointment

    print(f"appointments {Appointment.objects.filter(starts_at=starts_at).count()}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
