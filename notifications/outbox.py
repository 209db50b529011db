"""Recording messages with the event they announce, and publishing them to the worker.

Record first, then send: the announcing service calls `notifications_record` inside the
transaction that changes its data; once that transaction commits, one Celery task per event
is published, which claims its rows together and delivers them in turn (retries and the
sweeper publish one per row).
A broker outage leaves the rows ``pending`` for the sweeper, so it delays a message but never
loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, NotificationChannel
from notifications.tasks import notification_deliver, notifications_deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """An e-mail address, or (``channel`` "sms") a phone number in E.164 form with the
    e-mail address to fall back on if no text reaches it (``fallback``)."""

    address: str
    user: User | None = None
    channel: str = NotificationChannel.EMAIL
    fallback: str = ""


@dataclass(frozen=True, kw_only=True)
class Message:
    """One message of an event, to each of its recipients."""

    kind: str
    subject: str
    template: str
    context: Mapping[str, Any]
    recipients: Iterable[Recipient]
    dedupe_key: str = ""
    about: Notification | None = None
    # {"filename", "content" (text), "mimetype"} each: JSON, as recorded.
    attachments: Sequence[Mapping[str, str]] = ()
    # The language the worker renders it in (a code of settings.LANGUAGES); empty: the site's.
    language: str = ""


def notifications_record(
    *,
    topic: str,
    kind: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    recipients: Iterable[Recipient],
    dedupe_key: str = "",
    about: Notification | None = None,
    language: str = "",
) -> list[Notification]:
    """Record one message per recipient inside the caller's transaction; one already recorded
    for the same topic, kind, recipient and dedupe key is not recorded again. Returns the new
    rows, published once the transaction commits.

    ``context`` is what ``template`` is rendered with by the worker: JSON values only, and
    never clinical detail."""
    message = Message(
        kind=kind,
        subject=subject,
        template=template,
        context=context,
        recipients=recipients,
        dedupe_key=dedupe_key,
        about=about,
        language=language,
    )
    return notifications_record_event(topic=topic, messages=[message])


def notifications_record_event(
    *, topic: str, messages: Iterable[Message], new_topic: bool = False
) -> list[Notification]:
    """Record every message of one event (`notifications_record`'s rules) in two statements
    however many recipients: one INSERT that skips rows already recorded (the unique
    constraint decides, so two transactions racing record a row once), and one SELECT of the
    rows this call inserted. Published as one task once the transaction commits.

    ``new_topic``: the topic was made in the caller's transaction (a new request's reference),
    so no other transaction can have recorded these rows: one INSERT, which returns them."""
    stamp = timezone.now()
    rows: dict[tuple[str, str, str], Notification] = {}
    for message in messages:
        for recipient in message.recipients:
            key = (message.kind, recipient.address, message.dedupe_key)
            rows.setdefault(
                key,
                Notification(
                    topic=topic,
                    kind=message.kind,
                    channel=recipient.channel,
                    recipient=recipient.address,
                    recipient_user=recipient.user,
                    fallback_recipient=recipient.fallback,
                    dedupe_key=message.dedupe_key,
                    about=message.about,
                    subject=message.subject,
                    template=message.template,
                    context=dict(message.context),
                    language=message.language,
                    attachments=[dict(attachment) for attachment in message.attachments],
                    next_attempt_at=stamp,
                    created_at=stamp,
                ),
            )
    if not rows:
        return []
    created = (
        Notification.objects.bulk_create(rows.values())
        if new_topic
        else _insert_unrecorded(topic, stamp, rows)
    )
    enqueue_on_commit(created)
    return created


def _insert_unrecorded(
    topic: str, stamp: datetime, rows: dict[tuple[str, str, str], Notification]
) -> list[Notification]:
    """Insert the rows not recorded yet (the unique constraint decides) and return them."""
    Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
    # ON CONFLICT DO NOTHING returns no ids: ours are the rows with this call's timestamp (a
    # row another transaction recorded first has its own). Were two calls ever to share the
    # microsecond, the row would be published twice and still sent once: delivery claims
    # each row with a conditional update.
    inserted = Notification.objects.filter(
        topic=topic, created_at=stamp, recipient__in={address for _, address, _ in rows}
    ).order_by("pk")
    return [row for row in inserted if (row.kind, row.recipient, row.dedupe_key) in rows]


def enqueue_on_commit(notifications: Iterable[Notification]) -> None:
    """Publish one delivery task for these notifications once the current transaction
    commits."""
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(partial(notifications_publish, notification_ids=ids), robust=True)


def notifications_publish(*, notification_ids: list[int]) -> bool:
    """Publish one task delivering these notifications in turn (one event's messages, over
    one SMTP connection). Never raises for a broker outage: the rows stay pending for the
    sweeper."""
    try:
        notifications_deliver.apply_async((list(notification_ids),), retry=False)
    except Exception as error:  # kombu/redis raise several types for "broker down"
        logger.warning(
            "Broker unavailable, notifications %s left for the sweeper: %s",
            notification_ids,
            type(error).__name__,
        )
        return False
    return True


def notifications_enqueue(*, notification_ids: Iterable[int], countdown: float = 0) -> int:
    """Publish a delivery task per notification; returns how many were published. Never
    raises for a broker outage and never waits long for one: the rows stay pending and the
    sweeper publishes them again when the broker is back."""
    published = 0
    for notification_id in notification_ids:
        try:
            if countdown:
                notification_deliver.apply_async(
                    (notification_id,), countdown=countdown, retry=False
                )
            else:
                notification_deliver.apply_async((notification_id,), retry=False)
        except Exception as error:  # kombu/redis raise several types for "broker down"
            logger.warning(
                "Broker unavailable, notification %s left for the sweeper: %s",
                notification_id,
                type(error).__name__,
            )
            break
        published += 1
    return published


def notifications_forget(*, notification_ids: Iterable[int], keys: Iterable[str]) -> int:
    """Remove values from recorded contexts once they are worthless secrets (a one-time code
    spent or expired), so the outbox keeps no working copy. A message not yet sent then
    renders without them. Returns how many rows changed."""
    forgotten = set(keys)
    changed = 0
    with transaction.atomic():
        for notification in Notification.objects.select_for_update().filter(
            pk__in=list(notification_ids)
        ):
            if forgotten & notification.context.keys():
                notification.context = {
                    key: value
                    for key, value in notification.context.items()
                    if key not in forgotten
                }
                notification.save(update_fields=["context"])
                changed += 1
    return changed
