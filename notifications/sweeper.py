"""What no task is going to deliver: the sweeper publishes it again (beat), and the admin's
"retry" puts failed notifications back in the queue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.delivery import report_failure
from notifications.models import Notification, NotificationStatus
from notifications.outbox import notifications_enqueue


def notifications_sweep(*, now: datetime | None = None) -> int:
    """Publish again what no task is going to deliver; returns how many were published.

    - ``pending`` rows due for longer than one sweep interval: their task was never
      published (the broker was down at commit time) or was lost with the broker.
    - ``sending`` rows claimed longer ago than ``NOTIFICATION_SENDING_TIMEOUT``: the worker
      died mid-send. They go back to pending (or to failed after the last attempt).

    The duplicate window: a worker killed after the SMTP server accepted the message but
    before the row was marked sent leaves it ``sending``; the sweeper cannot tell that from
    a send that never reached the server, so it sends again, and the recipient gets a
    second copy with the same Message-ID. The window runs from the server's 250 reply to
    the moment the ``sent`` update reaches PostgreSQL (well under a millisecond on a
    healthy database; PostgreSQL commits an update it has received even if the worker dies
    right after). A worker killed before the 250 reply causes no duplicate: the server
    drops the unfinished message. Copies are resent after ``NOTIFICATION_SENDING_TIMEOUT``.
    """
    now = now or timezone.now()
    stuck = Notification.objects.filter(
        status=NotificationStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT),
    )
    for notification in stuck.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS):
        with transaction.atomic():
            if stuck.filter(pk=notification.pk).update(
                status=NotificationStatus.FAILED, last_error="the worker stopped while sending"
            ):
                notification.refresh_from_db()
                report_failure(notification=notification)
    stuck.update(status=NotificationStatus.PENDING, next_attempt_at=now)
    grace = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_INTERVAL)
    # Rows just reset above are due `now`; others only once their own task has had time.
    due = Notification.objects.filter(
        Q(next_attempt_at__lte=grace) | Q(next_attempt_at=now),
        status=NotificationStatus.PENDING,
    ).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[: settings.NOTIFICATION_SWEEP_BATCH])
    return notifications_enqueue(notification_ids=ids)


def notifications_retry(*, notifications: Iterable[Notification]) -> int:
    """Put failed notifications back in the queue with a fresh set of attempts (the admin's
    "retry" action); returns how many."""
    ids = [n.pk for n in notifications if n.status == NotificationStatus.FAILED]
    with transaction.atomic():
        count = Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).update(
            status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        transaction.on_commit(partial(notifications_enqueue, notification_ids=ids), robust=True)
    return count
