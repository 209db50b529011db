"""Create the demo staff accounts for a local run and print their password once."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

# username -> (first name, last name, is_superuser)
DEMO_STAFF = {
    "demo-manager": ("Morgan", "Manager", True),
    "demo-therapist": ("Theo", "Therapist", False),
    "demo-frontdesk": ("Frankie", "Frontdesk", False),
}


class Command(BaseCommand):
    help = "Create demo staff accounts (development only); prints a new password once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-password", action="store_true", help="give the demo accounts a new password"
        )

    @transaction.atomic
    def handle(self, *args: Any, reset_password: bool = False, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are never created in production.")
        User = get_user_model()
        existing = set(
            User.objects.filter(username__in=DEMO_STAFF).values_list("username", flat=True)
        )
        if existing == set(DEMO_STAFF) and not reset_password:
            self.stdout.write(
                "Demo staff accounts exist: " + ", ".join(DEMO_STAFF) + ". Their password was "
                "printed when they were made; `python manage.py demo_accounts --reset-password` "
                "sets a new one."
            )
            return
        password = secrets.token_urlsafe(12)
        for username, (first, last, superuser) in DEMO_STAFF.items():
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@clinic.example",
                },
            )
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
        self.stdout.write(
            self.style.SUCCESS("Demo staff accounts for http://127.0.0.1:8000/admin/")
        )
        for username in DEMO_STAFF:
            self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password (all three, shown once): {password}")
