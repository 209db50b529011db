"""Print a one-time link for setting up a staff member's authenticator app: how the first
clinic manager of a fresh install (``createsuperuser``) gets their second factor, since
nobody is yet signed in to issue one in the staff admin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from staff.services.enrolment import enrolment_link_issue, enrolment_link_path


class Command(BaseCommand):
    help = "Print a one-time link that lets USERNAME set up their authenticator app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove their current authenticator app first (lost or replaced phone)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account is named {options['username']!r}.")
        link, token = enrolment_link_issue(
            user=user, issued_by=None, remove_devices=options["replace"]
        )
        self.stdout.write(f"{settings.SITE_URL}{enrolment_link_path(token)}")
        self.stderr.write(
            f"Works once, signed in as {user.username}, until {link.expires_at:%Y-%m-%d %H:%M %Z}."
        )
