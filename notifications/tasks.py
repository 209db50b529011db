"""Celery entry points. Each takes ids, calls a service and decides when to run again.

The task names keep the ``intake.`` prefix they had when this app was part of intake, so
messages already queued under those names still run.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(
    name="intake.notification_deliver",
    acks_late=True,
    ignore_result=True,
    # Well under NOTIFICATION_SENDING_TIMEOUT: a send still running is never swept as lost.
    soft_time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT - 10,
    time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT,
)
def notification_deliver(notification_id: int) -> str:
    """Deliver one notification; after a transient failure, publish the next attempt."""
    return _deliver([notification_id])[0]


@shared_task(
    name="intake.notifications_deliver",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT - 10,
    time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT,
)
def notifications_deliver(notification_ids: list[int]) -> list[str]:
    """Deliver one event's notifications in turn, over the process's one SMTP connection
    (claimed together: a task stopped half way leaves the rest to the sweeper, and one
    already sent is never sent again)."""
    return _deliver(notification_ids)


def _deliver(notification_ids: list[int]) -> list[str]:
    from notifications.delivery import SKIPPED
    from notifications.delivery import notifications_deliver as deliver
    from notifications.outbox import notifications_enqueue

    outcomes = deliver(notification_ids=notification_ids)
    for notification_id, outcome in outcomes.items():
        # A delay longer than the broker's visibility timeout would have Redis hand the task
        # out again early; the sweeper publishes those when due. So does it if the broker is
        # down now: the row stays pending either way.
        if (
            outcome.retry_in is not None
            and outcome.retry_in < settings.BROKER_VISIBILITY_TIMEOUT / 2
        ):
            notifications_enqueue(notification_ids=[notification_id], countdown=outcome.retry_in)
    return [outcomes.get(notification_id, SKIPPED).status for notification_id in notification_ids]


@shared_task(name="intake.notifications_sweep", ignore_result=True)
def notifications_sweep() -> int:
    """Publish again the notifications left pending or stuck sending (beat)."""
    from notifications.sweeper import notifications_sweep as sweep

    return sweep()
