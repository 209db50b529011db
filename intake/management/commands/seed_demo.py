"""Seed a local run with demo sites, staff and patients. The staff's shared password is
printed and kept in var/demo-staff-password (mode 0600) for `demo_banner`."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from intake.demo import (
    DEMO_STAFF,
    demo_intakes_ensure,
    demo_locations_ensure,
    demo_password_store,
    demo_staff_ensure,
    demo_staff_missing,
)


class Command(BaseCommand):
    help = "Create demo sites, staff accounts and fake patients (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-password", action="store_true", help="give the demo staff a new password"
        )
        parser.add_argument(
            "--intakes",
            type=int,
            default=0,
            metavar="N",
            help="top the database up to N intakes of fake patients (default: none)",
        )
        parser.add_argument("--seed", type=int, default=None, help="seed for repeatable data")

    def handle(
        self,
        *args: Any,
        reset_password: bool = False,
        intakes: int = 0,
        seed: int | None = None,
        **options: Any,
    ) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if intakes < 0:
            raise CommandError("--intakes must be 0 or more.")
        demo_locations_ensure()
        verbose = options["verbosity"] >= 1
        if reset_password or demo_staff_missing():
            password = secrets.token_urlsafe(12)
            demo_staff_ensure(password=password)
            path = demo_password_store(password)
            if verbose:
                self.stdout.write(self.style.SUCCESS("Demo staff for http://127.0.0.1:8000/admin/"))
                for username, (_first, _last, role, _specialties) in DEMO_STAFF.items():
                    self.stdout.write(f"  username: {username}  ({role})")
                self.stdout.write(f"  password (the same for all, also in {path}): {password}")
        elif verbose:
            self.stdout.write(
                f"Demo staff accounts exist ({', '.join(DEMO_STAFF)}); their password is in "
                "var/demo-staff-password. `seed_demo --reset-password` sets a new one."
            )
        # The other apps' demo data (scheduling's opening and working hours), named in
        # settings: intake imports none of them.
        for seeder in settings.DEMO_SEEDERS:
            import_string(seeder)()
        if intakes:
            made = demo_intakes_ensure(count=intakes, seed=seed)
            if verbose:
                self.stdout.write(
                    f"Made {made} demo intake(s) of fake patients."
                    if made
                    else f"There are already {intakes} or more intakes; none made."
                )
