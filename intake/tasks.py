"""Celery entry points of intake. Each calls a service; beat runs them on a schedule."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="intake.notifications_escalate", ignore_result=True)
def notifications_escalate() -> int:
    """Tell the managers about intakes still unreviewed past their deadline (beat)."""
    from intake.announcements import notifications_escalate as escalate

    return len(escalate())
