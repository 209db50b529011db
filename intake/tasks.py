"""Celery entry points of intake. Each calls a service; beat runs them on a schedule."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task


@shared_task(name="intake.alerts_escalate", ignore_result=True)
def alerts_escalate(now: str | None = None) -> int:
    """Send the steps now due of the red-flag alerts nobody has acknowledged (beat, every
    RED_FLAG_ESCALATION_INTERVAL seconds). `now`, an ISO 8601 time, runs it as of then (the
    tests and the demo's clock); beat gives none."""
    from intake.services.alerts import alerts_escalate as escalate

    return len(escalate(now=datetime.fromisoformat(now) if now else None))


@shared_task(name="intake.notifications_escalate", ignore_result=True)
def notifications_escalate() -> int:
    """Tell the managers about routine intakes still unreviewed past their deadline (beat)."""
    from intake.announcements import notifications_escalate as escalate

    return len(escalate())


@shared_task(name="intake.referrals_remind", ignore_result=True)
def referrals_remind() -> int:
    """Remind the authors of overdue referrals, once a day each (beat)."""
    from intake.announcements import notifications_remind_overdue_referrals as remind

    return len(remind())
