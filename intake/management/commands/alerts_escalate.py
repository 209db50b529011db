"""Run the red-flag escalation now, as beat does every half minute, or, in a demo, as of a
later time (`--minutes-ahead 10`), to see a step that would otherwise take 10 real minutes."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from intake.services.alerts import alerts_escalate


class Command(BaseCommand):
    help = (
        "Send the steps now due of the red-flag alerts nobody has acknowledged. "
        "--minutes-ahead N runs it as of N minutes from now (demo clock; never in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minutes-ahead",
            type=int,
            default=0,
            metavar="N",
            help="run as if it were N minutes later (development only)",
        )

    def handle(self, *args: Any, minutes_ahead: int = 0, **options: Any) -> None:
        if minutes_ahead < 0:
            raise CommandError("--minutes-ahead must be 0 or more.")
        if minutes_ahead and settings.PRODUCTION:
            raise CommandError("Moving the clock is for demos: in production beat runs it.")
        as_of = timezone.now() + timedelta(minutes=minutes_ahead)
        sent = alerts_escalate(now=as_of)
        by_message: dict[tuple[str, str], list[str]] = defaultdict(list)
        for notification in sent:
            by_message[notification.topic, notification.dedupe_key].append(notification.recipient)
        when = timezone.localtime(as_of).strftime("%H:%M")
        if not by_message:
            self.stdout.write(f"As of {when}: no step of any red-flag alert is due.")
        for (topic, step), recipients in by_message.items():
            number = int(step.removeprefix("step-")) + 1
            self.stdout.write(
                f"As of {when}: alert for {topic}, step {number}, to {', '.join(recipients)}."
            )
        if by_message:
            self.stdout.write("The worker sends them (make run: into var/mail/).")
