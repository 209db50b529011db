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

from notifications.delivery import fall_back_to_email, report_failure
from notifications.models import Notification, NotificationStatus
from notifications.outages import outages_report
from notifications.outbox import notifications_enqueue


def notifications_sweep(*, now: datetime | None = None) -> int:
    """Publish again what no task is going to deliver; returns how many were published.

        - ``pending`` rows due for longer than one sweep interval: their task was never
          published (the broker was down at commit time) or was lost with the broker.
        - ``sending`` rows claimed longer ago than ``NOTIFICATION_SENDING_TIMEOUT``: the worker
          died mid-send, or before it tried them (an event's rows are claimed together). They
          go back to pending (or to failed once ``NOTIFICATION_MAX_AGE`` old).

    It also reports a mail outage that has lasted long enough, once (``outages_report``).

        The duplicate window: a row left ``sending`` after the SMTP server accepted the message
    is sent again, and the recipient gets a second copy with the same Message-ID; the
    sweeper cannot tell it from a send that never reached the server. Delivery retries the
    ``sent`` update through a lost database connection for ``NOTIFICATION_SENT_RETRY_SECONDS``,
    so what remains is a worker killed between the 250 reply and that update, or a database
    away for longer than the bound just then. A worker killed before the 250 reply causes
    no duplicate: the server drops the unfinished message. Copies are resent after
    ``NOTIFICATION_SENDING_TIMEOUT``.
    """
    now = now or timezone.now()
    stuck = Notification.objects.filter(
        status=NotificationStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT),
    )
    too_old = now - timedelta(seconds=settings.NOTIFICATION_MAX_AGE)
    for notification in stuck.filter(created_at__lte=too_old):
        with transaction.atomic():
            if stuck.filter(pk=notification.pk).update(
                status=NotificationStatus.FAILED, last_error="the worker stopped while sending"
            ):
                notification.refresh_from_db()
                fall_back_to_email(notification=notification)
                report_failure(notification=notification)
    stuck.update(status=NotificationStatus.PENDING, next_attempt_at=now)
    grace = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_INTERVAL)
    # Rows just reset above are due `now`; others only once their own task has had time.
    due = Notification.objects.filter(
        Q(next_attempt_at__lte=grace) | Q(next_attempt_at=now),
        status=NotificationStatus.PENDING,
    ).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[: settings.NOTIFICATION_SWEEP_BATCH])
    published = notifications_enqueue(notification_ids=ids)
    outages_report(now=now)
    return published


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
