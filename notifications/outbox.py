"""Recording messages with the event they announce, and publishing them to the worker.

Record first, then send: the announcing service calls `notifications_record` inside the
transaction that changes its data; once that transaction commits, one Celery task per new row
is published. A broker outage leaves the rows ``pending`` for the sweeper, so it delays a
message but never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from notifications.models import Notification
from notifications.tasks import notification_deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    address: str
    user: User | None = None


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
) -> list[Notification]:
    """Record one message per recipient inside the caller's transaction; one already recorded
    for the same topic, kind, recipient and dedupe key is not recorded again. Returns the new
    rows, published once the transaction commits.

    ``context`` is what ``template`` is rendered with by the worker: JSON values only, and
    never clinical detail."""
    created = []
    for recipient in recipients:
        notification, is_new = Notification.objects.get_or_create(
            topic=topic,
            kind=kind,
            recipient=recipient.address,
            dedupe_key=dedupe_key,
            defaults={
                "recipient_user": recipient.user,
                "about": about,
                "subject": subject,
                "template": template,
                "context": dict(context),
            },
        )
        if is_new:
            created.append(notification)
    enqueue_on_commit(created)
    return created


def enqueue_on_commit(notifications: Iterable[Notification]) -> None:
    """Publish a delivery task per notification once the current transaction commits."""
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(partial(notifications_enqueue, notification_ids=ids), robust=True)


def notifications_enqueue(*, notification_ids: Iterable[int], countdown: float = 0) -> int:
    """Publish delivery tasks; returns how many were published. Never raises for a broker
    outage and never waits long for one: the rows stay pending and the sweeper publishes
    them again when the broker is back."""
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
