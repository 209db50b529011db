"""Celery entry points of scheduling; beat runs them."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task


@shared_task(name="scheduling.appointments_remind", ignore_result=True)
def appointments_remind(now: str | None = None) -> int:
    """Record the reminders now due (beat, every few minutes). `now`, an ISO 8601 time, runs
    it as of then (the tests); beat gives none."""
    from scheduling.services import appointments_remind as remind

    return len(remind(now=datetime.fromisoformat(now) if now else None))
