"""Mail outages: noticed by delivery, reported once to the people who must know, shown on
the staff pages while they last.

A transient failure (the server refuses connections, times out, answers 4xx) opens an outage
unless one is open; the next message the server accepts closes it. Beat's sweep reports an
outage that has lasted ``NOTIFICATION_OUTAGE_REPORT_AFTER`` seconds: ONE digest (how long,
the last error, how many messages wait), not one e-mail per message, and not through the
outbox, which is what is down. It goes over the ``fallback`` mailer when ``MAILERS`` has one
(a second relay), else over the default one; until a digest gets through, every sweep tries
again, and the staff pages show the outage meanwhile, so someone is told either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.models import Notification, NotificationStatus, Outage

logger = logging.getLogger(__name__)

FALLBACK = "fallback"


def outage_noticed(*, error: str, now: datetime | None = None) -> None:
    """Record a transient failure: open an outage, or count it in the open one."""
    now = now or timezone.now()
    updated = Outage.objects.filter(ended_at__isnull=True).update(
        failures=F("failures") + 1, last_error=error[:500]
    )
    if updated:
        return
    try:
        with transaction.atomic():
            Outage.objects.create(started_at=now, last_error=error[:500], failures=1)
    except IntegrityError:
        pass  # another worker opened it a moment ago


def outage_ended(*, now: datetime | None = None) -> None:
    """The server accepted a message: close the open outage, if any (one indexed update)."""
    Outage.objects.filter(ended_at__isnull=True).update(ended_at=now or timezone.now())


@dataclass(frozen=True)
class OutageState:
    outage: Outage
    queue_depth: int  # messages waiting: pending or being sent
    oldest_waiting: datetime | None


def outage_current() -> OutageState | None:
    """The open outage and the queue behind it, for the staff pages; None when mail flows."""
    outage = Outage.objects.filter(ended_at__isnull=True).first()
    if outage is None:
        return None
    waiting = Notification.objects.filter(
        status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
    )
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return OutageState(outage, waiting.count(), oldest)


def queue_depth() -> int:
    return Notification.objects.filter(
        status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
    ).count()


def outages_report(*, now: datetime | None = None) -> bool:
    """Send the digest of the open outage once it has lasted long enough and was not yet
    reported; returns whether one was sent now. Called by the sweep (beat)."""
    now = now or timezone.now()
    threshold = now - timedelta(seconds=settings.NOTIFICATION_OUTAGE_REPORT_AFTER)
    outage = Outage.objects.filter(
        ended_at__isnull=True, reported_at__isnull=True, started_at__lte=threshold
    ).first()
    if outage is None:
        return False
    recipients = list(dict.fromkeys(import_string(settings.NOTIFICATION_OUTAGE_RECIPIENTS)()))
    if not recipients:
        logger.error("Mail outage since %s: nobody to report it to", outage.started_at)
        return False
    # Claim it first, so two sweeps at once send one digest; released if no mailer took it.
    if not Outage.objects.filter(pk=outage.pk, reported_at__isnull=True).update(reported_at=now):
        return False
    for alias in (FALLBACK, "default") if FALLBACK in mailers else ("default",):
        try:
            sent = _digest(outage, recipients, now=now, alias=alias).send()
        except Exception as error:  # any mailer's failure: try the next, then the next sweep
            logger.warning("Outage report over the %s mailer failed: %s", alias, error)
            continue
        if sent:
            Outage.objects.filter(pk=outage.pk).update(reported_via=alias)
            logger.warning("Mail outage reported over the %s mailer", alias)
            return True
    Outage.objects.filter(pk=outage.pk).update(reported_at=None)
    return False


def _digest(outage: Outage, recipients: list[str], *, now: datetime, alias: str) -> EmailMessage:
    minutes = int((now - outage.started_at).total_seconds() // 60)
    max_age_hours = settings.NOTIFICATION_MAX_AGE // 3600
    body = (
        f"The clinic's mail server has taken no message for {minutes} minutes "
        f"(since {timezone.localtime(outage.started_at):%Y-%m-%d %H:%M %Z}).\n\n"
        f"Messages waiting: {queue_depth()}. None is lost: each is retried until it is "
        f"{max_age_hours} hours old, and only then marked failed in the notification log.\n"
        f"Last error: {outage.last_error}\n\n"
        "Urgent patients are not being e-mailed meanwhile: check the red-flag alerts on the "
        "staff dashboard. This is the only report for this outage.\n"
    )
    return EmailMessage(
        subject="Clinic e-mail is down: messages are waiting",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"Auto-Submitted": "auto-generated"},
        connection=mailers[alias],
    )
