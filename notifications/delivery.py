"""Delivering one notification: claim it, render it, send it outside any transaction, and
record the outcome (sent, pending again after a transient failure, or failed for good)."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.models import Notification, NotificationStatus
from notifications.transports import Email, TransportError, send_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # a NotificationStatus, or "skipped" when the row was not ours to send
    retry_in: float | None = None


SKIPPED = DeliveryOutcome("skipped")


def notification_deliver(*, notification_id: int) -> DeliveryOutcome:
    """Send one notification if it is pending and due, and record the outcome.

    The claim is a conditional update, so of two workers holding the same task only one
    sends. The e-mail goes out with no transaction open (nothing held locked while the SMTP
    server takes its time). A transient failure puts the row back to pending with an
    exponential, jittered delay (``retry_in`` tells the task when to try again); a permanent
    one, or the last attempt, marks it failed and calls ``NOTIFICATION_FAILURE_HANDLER``.
    """
    if connection.in_atomic_block:
        raise RuntimeError("deliver notifications outside any transaction")
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=claimed_at
    ).update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, claimed_at=claimed_at)
    if not claimed:
        return SKIPPED
    notification = Notification.objects.get(pk=notification_id)
    ours = Notification.objects.filter(pk=notification_id, claimed_at=claimed_at)
    try:
        email = render_email(notification)
    except Exception as error:
        # A bug in rendering is not going to fix itself on retry.
        logger.exception("Notification %s could not be rendered", notification_id)
        failure = TransportError(f"could not render: {type(error).__name__}", permanent=True)
        return _record_failure(notification, ours, failure)
    try:
        send_email(email)
    except TransportError as error:
        return _record_failure(notification, ours, error)
    ours.update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        message_id=email.message_id,
        last_error="",
    )
    return DeliveryOutcome(NotificationStatus.SENT)


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: doubling from the base delay, capped, with jitter
    so that many messages failing together do not all come back at once."""
    base = settings.NOTIFICATION_RETRY_BASE_DELAY
    delay: int = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_DELAY)
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security


def _record_failure(
    notification: Notification, ours: QuerySet[Notification], error: TransportError
) -> DeliveryOutcome:
    message = str(error)[:500]
    logger.warning(
        "Notification %s (%s) attempt %s failed: %s",
        notification.pk,
        notification.kind,
        notification.attempts,
        message,
    )
    if error.permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        with transaction.atomic():
            ours.update(status=NotificationStatus.FAILED, last_error=message)
            notification.refresh_from_db()
            report_failure(notification=notification)
        return DeliveryOutcome(NotificationStatus.FAILED)
    delay = retry_delay(notification.attempts)
    ours.update(
        status=NotificationStatus.PENDING,
        last_error=message,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return DeliveryOutcome(NotificationStatus.PENDING, retry_in=delay)


def report_failure(*, notification: Notification) -> None:
    """Hand a notification that failed for good to ``NOTIFICATION_FAILURE_HANDLER`` (a dotted
    path to a callable taking ``notification``), inside the caller's transaction: the app
    that announced it knows who must be told, and how."""
    if notification.status == NotificationStatus.FAILED:
        import_string(settings.NOTIFICATION_FAILURE_HANDLER)(notification=notification)


def render_email(notification: Notification) -> Email:
    """The e-mail for one notification, from what was recorded with it."""
    context = notification.context
    return Email(
        to=notification.recipient,
        subject=notification.subject,
        text=render_to_string(f"{notification.template}.txt", context).strip() + "\n",
        html=render_to_string(f"{notification.template}.html", context),
        message_id=message_id(notification),
    )


def message_id(notification: Notification) -> str:
    """Stable per notification: a copy sent again after a crash carries the same one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.pk}.{notification.topic}@{domain}>"
