"""The banner `make run` prints once the web server answers: where to go, who to sign in as,
and what to try as each role, naming this database's own intakes."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp import user_has_device

from intake.demo import DEMO_STAFF, demo_highlights, demo_password_file, demo_password_read
from staff import roles
from staff.services.enrolment import enrolment_link_issue, enrolment_link_path
from staff.signin.policy import must_use_two_factor

RULE = "─" * 78
ON_CALL = "demo-therapist"  # demo_staff_ensure puts the first therapist on call


def wait_for(url: str, timeout: float) -> None:
    """Return once `url` answers with any HTTP status (a 503 is an answer too)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (our own loopback URL)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise CommandError(f"Nothing answered at {url} after {timeout:.0f} s.") from None
            time.sleep(0.3)


class Command(BaseCommand):
    help = "Print the demo's banner: its address, the staff accounts and what to try."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait-for", metavar="URL", help="print once this URL answers")
        parser.add_argument("--timeout", type=float, default=90, help="seconds to wait")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo banner is for local runs only.")
        try:
            if options["wait_for"]:
                wait_for(options["wait_for"], options["timeout"])
        except KeyboardInterrupt:
            return  # Ctrl-C while starting: scripts/run.sh stops the servers
        self.stdout.write("\n".join(self.banner(options["base_url"].rstrip("/"))))

    def set_up_links(self, base: str) -> list[str]:
        """With two-factor sign-in on, a fresh one-time set-up link for each demo account
        that has no authenticator app yet (a password alone sets none up)."""
        if not settings.STAFF_2FA_REQUIRED:
            return []
        waiting = [
            user
            for user in User.objects.filter(username__in=DEMO_STAFF).order_by("username")
            if must_use_two_factor(user) and not user_has_device(user)
        ]
        if not waiting:
            return []
        links = [
            f"    {user.username:<16} {base}{enrolment_link_path(token)}"
            for user in waiting
            for _link, token in [enrolment_link_issue(user=user, issued_by=None)]
        ]
        return [
            "  Two-factor sign-in is on: open an account's one-time set-up link, sign in,",
            "  and scan the QR code with an authenticator app (each link works once):",
            *links,
        ]

    def banner(self, base: str) -> list[str]:
        password = demo_password_read()
        shown = (
            [f"  Password for all of them: {password}   (kept in {demo_password_file()})"]
            if password
            else [
                "  Their password was changed since it was made; a new one:",
                "  .venv/bin/python manage.py seed_demo --reset-password",
            ]
        )
        accounts = [
            f"    {username:<16} {role}" + (" (on call)" if username == ON_CALL else "")
            for username, (_first, _last, role, _specialties) in DEMO_STAFF.items()
        ]
        to_open: dict[str, list[str]] = {role: [] for role in roles.ROLE_PERMISSIONS}
        set_up = self.set_up_links(base)
        for highlight in demo_highlights():
            to_open[highlight.role] += [f"    {highlight.what}:", f"      {base}{highlight.path}"]
        return [
            "",
            RULE,
            f"  The knee clinic demo is running: {base}/",
            f"  Staff pages: {base}/admin/, one account per role:",
            *accounts,
            *shown,
            *set_up,
            "",
            "  What to try",
            "  As a patient (no account; try a phone-sized window):",
            f"    start an intake at {base}/intake/ and answer Yes to a safety question:",
            "    the advice shows at once. Or answer No to all of them, finish, and choose a",
            "    time for your visit at the end: the status link moves or cancels it, and the",
            "    e-mails (with a calendar invite) land in var/mail/ within seconds.",
            "  As demo-therapist:",
            "    the dashboard lists alerts nobody has acknowledged; acknowledge one on its page.",
            *to_open[roles.THERAPIST],
            "    read the ranked categories and their reasons, then record your review.",
            "  As demo-frontdesk:",
            "    the request board, emergencies first: contact details, never clinical answers.",
            *to_open[roles.FRONT_DESK],
            "    mark it contacted, then schedule it: Calendar, above the board, shows each",
            "    therapist's day and the free times.",
            "  As demo-manager:",
            "    the dashboard's figures, the audit trail (who saw and changed what), staff",
            "    accounts, and lifting a sign-in lockout under Axes > Access attempts.",
            "",
            "  Ctrl-C stops everything. `make run VERBOSE=1` shows every log line.",
            RULE,
            "",
        ]
