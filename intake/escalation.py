"""The red-flag escalation chain, declared once in settings (``RED_FLAG_ALERTS``) per triage
level: when each step is due and whom it tells, and how soon a patient is promised a call.

Pure reading of the declaration plus the calendar of the request's site (`intake.calendar`);
who the audiences are today is `intake.announcements`' business, recording a step is
`intake.services.alerts`'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings

from conditions.categories import Triage
from intake.calendar import OpeningCalendar, opening_calendar

ALERT_LEVELS = (Triage.EMERGENCY, Triage.URGENT)


class Audience(StrEnum):
    ON_CALL = "on_call"
    SITE_THERAPISTS = "site_therapists"
    MANAGERS = "managers"
    ALERT_ADDRESS = "alert_address"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.ON_CALL: "the on-call therapists",
    Audience.SITE_THERAPISTS: "every therapist at the site",
    Audience.MANAGERS: "the clinic managers",
    Audience.ALERT_ADDRESS: "the clinic's alert address",
}


@dataclass(frozen=True, slots=True)
class EscalationStep:
    after: timedelta
    notify: tuple[Audience, ...]
    # Due outside opening hours, the step waits for the clinic to open.
    opening_hours: bool = False

    @property
    def description(self) -> str:
        """“the clinic managers (after 2 hours, in opening hours)”, for staff pages."""
        who = " and ".join(audience.label for audience in self.notify)
        minutes = int(self.after.total_seconds() // 60)
        when = (
            "at once"
            if not minutes
            else f"after {minutes // 60} hours"
            if minutes >= 120 and not minutes % 60
            else f"after {minutes} minutes"
        )
        return f"{who} ({when}{', in opening hours' if self.opening_hours else ''})"


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    level: Triage
    steps: tuple[EscalationStep, ...]
    # Patients are told someone calls them within this much time (counted from opening).
    call_back_within: timedelta

    def due_at(
        self, raised_at: datetime, index: int, *, location_id: int | None = None
    ) -> datetime:
        """When step `index` is due: its delay after `raised_at`, moved to the next opening
        of the request's site (its hours less its closures and the clinic's) if it waits for
        opening hours, and never before the step ahead of it. A step that does not wait
        (the on-call route) is due at its time, open or not."""
        due = raised_at
        # Loaded once, and only when a step waits for opening hours.
        opening: OpeningCalendar | None = None
        for step in self.steps[: index + 1]:
            own = raised_at + step.after
            if step.opening_hours:
                opening = opening or opening_calendar(raised_at, location_id=location_id)
                own = opening.next_opening(own)
            due = max(due, own)
        return due


def alert_policy(level: str) -> AlertPolicy:
    """The declared chain for `level` ("emergency" or "urgent")."""
    return _parse(Triage(level), settings.RED_FLAG_ALERTS[level])


def _parse(level: Triage, declared: Mapping[str, object]) -> AlertPolicy:
    steps = declared["steps"]
    assert isinstance(steps, list | tuple)
    return AlertPolicy(
        level=level,
        steps=tuple(
            EscalationStep(
                after=timedelta(minutes=step["after_minutes"]),
                notify=tuple(Audience(name) for name in step["notify"]),
                opening_hours=bool(step.get("opening_hours", False)),
            )
            for step in steps
        ),
        call_back_within=timedelta(minutes=int(str(declared["call_back_minutes"]))),
    )


def declaration_problems() -> list[str]:
    """What is wrong with ``RED_FLAG_ALERTS`` (for the system check); empty when nothing."""
    declared = settings.RED_FLAG_ALERTS
    problems = []
    for level in ALERT_LEVELS:
        if level.value not in declared:
            problems.append(f"no chain for {level.value} intakes")
            continue
        try:
            policy = _parse(level, declared[level.value])
        except (KeyError, TypeError, ValueError, AssertionError) as error:
            problems.append(f"the {level.value} chain cannot be read ({error!r})")
            continue
        if not policy.steps or policy.steps[0].after:
            problems.append(f"the {level.value} chain must start with a step at 0 minutes")
        if any(not step.notify for step in policy.steps):
            problems.append(f"a step of the {level.value} chain notifies nobody")
        if any(a.after > b.after for a, b in zip(policy.steps, policy.steps[1:], strict=False)):
            problems.append(f"the {level.value} chain's steps are not in time order")
        if policy.call_back_within <= timedelta(0):
            problems.append(f"the {level.value} chain's call_back_minutes must be above 0")
    return problems
