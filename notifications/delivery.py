"""Delivering one notification: claim it, render it, send it outside any transaction, and
record the outcome (sent, pending again after a transient failure, or failed for good)."""

from __future__ import annotations

import functools
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from notifications.models import Notification, NotificationChannel, NotificationStatus, SmsConsent
from notifications.outages import outage_ended, outage_noticed
from notifications.outbox import enqueue_on_commit
from notifications.sms import MAX_SEGMENTS, Sms, gsm7_folded, segments, send_sms
from notifications.transports import Email, TransportError, send_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # a NotificationStatus, or "skipped" when the row was not ours to send
    retry_in: float | None = None
    # An e-mail the server accepted: the open outage, if any, is closed.
    outage_closed: bool = False


SKIPPED = DeliveryOutcome("skipped")
# An e-mail's text and HTML by (template, language, context as JSON).
Renders = dict[tuple[str, str, str], tuple[str, str]]


def notification_deliver(*, notification_id: int, close_outage: bool = True) -> DeliveryOutcome:
    """Send one notification if it is pending and due, and record the outcome
    (`notifications_deliver` with one id)."""
    outcomes = notifications_deliver(notification_ids=[notification_id], close_outage=close_outage)
    return outcomes.get(notification_id, SKIPPED)


def notifications_deliver(
    *, notification_ids: Sequence[int], close_outage: bool = True
) -> dict[int, DeliveryOutcome]:
    """Send the notifications of these that are pending and due, in turn, and record each
    outcome; returns the outcome of each one claimed, by id (the others were not ours).

    They are claimed and read together, with one conditional update (`_claim`), so of two
    workers holding the same ids only one sends each. Each e-mail goes out with no
    transaction open (nothing held locked while the SMTP server takes its time) and is
    marked sent as soon as the server has accepted it. A task stopped half way (a time limit,
    a lost database) puts the ones it had not tried back to pending, for the sweeper; a
    killed one leaves them "sending", and the sweeper puts them back after
    ``NOTIFICATION_SENDING_TIMEOUT``: none lost, none sent twice. Messages that render the
    same template with the same context in the same language are rendered once.

    A transient failure puts the row back to pending with an exponential, jittered delay
    (``retry_in`` tells the task when to try again); a permanent one marks it failed and
    calls ``NOTIFICATION_FAILURE_HANDLER``. Transient failures are retried, the delay capped
    at ``NOTIFICATION_RETRY_MAX_DELAY``, until the message is ``NOTIFICATION_MAX_AGE`` old:
    an outage of hours delays messages but loses none. Each transient failure counts towards
    the open outage (``notifications.outages``), which is reported once; the first message
    accepted closes it (``close_outage``), the others need not say so again.
    """
    if connection.in_atomic_block:
        raise RuntimeError("deliver notifications outside any transaction")
    ids = list(dict.fromkeys(notification_ids))
    rows = {row.pk: row for row in _claim(ids)}
    if not rows:
        return {}
    outcomes: dict[int, DeliveryOutcome] = {}
    renders: Renders = {}
    trying = None
    try:
        for trying in (pk for pk in ids if pk in rows):
            outcome = _deliver_claimed(rows[trying], renders, close_outage)
            outcomes[trying] = outcome
            close_outage = close_outage and not outcome.outage_closed
    except BaseException:
        # The one being tried may have reached the server: it stays "sending".
        _release([rows[pk] for pk in rows if pk not in outcomes and pk != trying])
        raise
    return outcomes


def _claim(ids: list[int]) -> list[Notification]:
    """Claim those of these rows that are pending and due, and read them, in one statement
    (``UPDATE ... RETURNING``, which PostgreSQL and SQLite have): the rows it returns are
    exactly the ones it claimed. Conditional, so of two workers holding the same ids only
    one claims each; zero rows means someone else has them."""
    if not ids:
        return []
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    placeholders = ", ".join(["%s"] * len(ids))
    return list(
        Notification.objects.raw(
            f"UPDATE {quote(Notification._meta.db_table)}"  # noqa: S608
            f" SET {quote('status')} = %s, {quote('attempts')} = {quote('attempts')} + 1,"
            f" {quote('claimed_at')} = %s"
            f" WHERE {quote('id')} IN ({placeholders}) AND {quote('status')} = %s"
            f" AND {quote('next_attempt_at')} <= %s RETURNING *",
            [NotificationStatus.SENDING, now, *ids, NotificationStatus.PENDING, now],
        )
    )


def _release(untried: list[Notification]) -> None:
    """Put back to pending what a task stopping half way claimed but did not try (as if it
    had not been claimed), for the sweeper; if the database is what stopped it, the sweeper
    puts them back after ``NOTIFICATION_SENDING_TIMEOUT`` instead."""
    if not untried:
        return
    try:
        Notification.objects.filter(
            pk__in=[row.pk for row in untried],
            status=NotificationStatus.SENDING,
            claimed_at=untried[0].claimed_at,
        ).update(status=NotificationStatus.PENDING, attempts=F("attempts") - 1)
    except Exception:
        logger.exception("Claimed notifications could not be put back: left to the sweeper")


def _deliver_claimed(
    notification: Notification, renders: Renders, close_outage: bool
) -> DeliveryOutcome:
    if notification.channel == NotificationChannel.SMS:
        return _deliver_sms(notification, _as_claimed(notification))
    try:
        email = render_email(notification, renders)
    except Exception as error:
        # A bug in rendering is not going to fix itself on retry.
        logger.exception("Notification %s could not be rendered", notification.pk)
        failure = TransportError(f"could not render: {type(error).__name__}", permanent=True)
        return _record_failure(notification, _as_claimed(notification), failure)
    try:
        send_email(email)
    except TransportError as error:
        return _record_failure(notification, _as_claimed(notification), error)
    _record_sent(notification, email.message_id, close_outage=close_outage)
    return DeliveryOutcome(NotificationStatus.SENT, outage_closed=True)


def _as_claimed(notification: Notification) -> QuerySet[Notification]:
    """The row, as long as it is still the claim this task made (the outcome's update)."""
    return Notification.objects.filter(pk=notification.pk, claimed_at=notification.claimed_at)


def _deliver_sms(notification: Notification, ours: QuerySet[Notification]) -> DeliveryOutcome:
    """The text-message half of `notification_deliver`, after the claim: a number that
    replied STOP gets no text (the e-mail copy instead), nor does a text over two segments."""
    if not sms_consented(number=notification.recipient):
        stopped = TransportError("the recipient replied STOP to our texts", permanent=True)
        return _record_failure(notification, ours, stopped, report=False)
    try:
        body = render_sms(notification)
    except Exception as error:
        logger.exception("Notification %s could not be rendered", notification.pk)
        failure = TransportError(f"could not render: {type(error).__name__}", permanent=True)
        return _record_failure(notification, ours, failure)
    try:
        provider_id = send_sms(
            Sms(to=notification.recipient, body=body, status_callback=sms_status_callback())
        )
    except TransportError as error:
        return _record_failure(notification, ours, error)
    _record_sent(notification, provider_id, channel=NotificationChannel.SMS)
    return DeliveryOutcome(NotificationStatus.SENT)


def sms_consented(*, number: str) -> bool:
    """Whether the number has not replied STOP (or replied START since)."""
    return not SmsConsent.objects.filter(number=number, subscribed=False).exists()


def sms_status_callback() -> str:
    """Where the provider posts delivery receipts (the signature covers this exact URL)."""
    return settings.SITE_URL + reverse("notifications:sms_status")


def render_sms(notification: Notification) -> str:
    """The text of one text message, from what was recorded with it; at most
    ``MAX_SEGMENTS`` segments (a longer one is a bug in its template: it fails for good and
    the e-mail copy goes instead)."""
    with rendered_in(notification):
        text = render_to_string(f"{notification.template}.sms.txt", notification.context)
    # Templates lay out their lines freely: one blank line at most between paragraphs.
    lines = [" ".join(line.split()) for line in gsm7_folded(text).strip().splitlines()]
    body = "\n".join(lines)
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    if segments(body) > MAX_SEGMENTS:
        raise ValueError(f"the text takes {segments(body)} segments, over {MAX_SEGMENTS}")
    return body


def fall_back_to_email(*, notification: Notification) -> Notification | None:
    """Record the e-mail copy of a text message that failed for good, inside the caller's
    transaction, once (the unique constraint decides); published once it commits. None
    when there is no address to fall back on."""
    if notification.channel != NotificationChannel.SMS or not notification.fallback_recipient:
        return None
    copy, created = Notification.objects.get_or_create(
        topic=notification.topic,
        kind=notification.kind,
        recipient=notification.fallback_recipient,
        dedupe_key=f"sms-{notification.pk}",
        defaults={
            "channel": NotificationChannel.EMAIL,
            "recipient_user": notification.recipient_user,
            "replaces": notification,
            "subject": notification.subject,
            "template": notification.template,
            "context": notification.context,
            "language": notification.language,
        },
    )
    if created:
        enqueue_on_commit([copy])
    return copy


def _record_sent(
    notification: Notification,
    message_id: str,
    *,
    channel: str = NotificationChannel.EMAIL,
    close_outage: bool = True,
) -> None:
    """Mark the row sent, retrying through a lost database connection (a restart, a
    failover) for up to ``NOTIFICATION_SENT_RETRY_SECONDS``: the server has accepted the
    message, and a row left "sending" is sent again by the sweeper, a duplicate. Past that
    bound the error propagates and the row is left to the sweeper (the remaining window)."""
    deadline = time.monotonic() + settings.NOTIFICATION_SENT_RETRY_SECONDS
    pause = 0.1
    while True:
        try:
            _mark_sent(notification, message_id)
            # Outages are the mail server's (notifications.outages).
            if channel == NotificationChannel.EMAIL and close_outage:
                outage_ended()
            return
        except (OperationalError, InterfaceError) as error:
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("Recording a sent notification failed, retrying: %s", error)
            connection.close()  # the next query opens a new connection
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _mark_sent(notification: Notification, message_id: str) -> None:
    """``UPDATE ... SET status = 'sent' ...`` of the row as this task claimed it (its
    ``claimed_at``), written in SQL: it runs once per message, and through the ORM it
    cost 0.24 ms of CPU where the statement alone costs 0.07 (PostgreSQL)."""
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(column)} = %s" for column in ("status", "sent_at", "message_id", "last_error")
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Notification._meta.db_table)} SET {assignments}"  # noqa: S608
            f" WHERE {quote('id')} = %s AND {quote('claimed_at')} = %s",
            [
                NotificationStatus.SENT,
                adapt(timezone.now()),
                message_id,
                "",
                notification.pk,
                adapt(notification.claimed_at),
            ],
        )


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: doubling from the base delay, capped, with jitter
    so that many messages failing together do not all come back at once."""
    base = settings.NOTIFICATION_RETRY_BASE_DELAY
    delay: int = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_DELAY)
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security


def too_old(notification: Notification, now: datetime | None = None) -> bool:
    """Whether a message is past ``NOTIFICATION_MAX_AGE`` and is not tried again."""
    age = (now or timezone.now()) - notification.created_at
    return age >= timedelta(seconds=settings.NOTIFICATION_MAX_AGE)


def _record_failure(
    notification: Notification,
    ours: QuerySet[Notification],
    error: TransportError,
    *,
    report: bool = True,
) -> DeliveryOutcome:
    message = str(error)[:500]
    logger.warning(
        "Notification %s (%s) attempt %s failed: %s",
        notification.pk,
        notification.kind,
        notification.attempts,
        message,
    )
    if not error.permanent and notification.channel == NotificationChannel.EMAIL:
        outage_noticed(error=message)
    if error.permanent or too_old(notification):
        with transaction.atomic():
            ours.update(status=NotificationStatus.FAILED, last_error=message)
            notification.refresh_from_db()
            # A text that cannot get through goes by e-mail instead.
            fall_back_to_email(notification=notification)
            # A message that outlived an outage is covered by the outage's one report; a
            # report per message is what would flood the managers.
            if error.permanent and report:
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


def render_email(notification: Notification, renders: Renders | None = None) -> Email:
    """The e-mail for one notification, from what was recorded with it. ``renders`` holds
    the texts rendered so far (by template, language and context) for the next ones."""
    context = notification.context
    key = (notification.template, notification.language, json.dumps(context, sort_keys=True))
    texts = renders.get(key) if renders is not None else None
    if texts is None:
        with rendered_in(notification):
            texts = (
                render_to_string(f"{notification.template}.txt", context).strip() + "\n",
                render_to_string(f"{notification.template}.html", context),
            )
        if renders is not None:
            renders[key] = texts
    text, html = texts
    return Email(
        to=notification.recipient,
        subject=notification.subject,
        text=text,
        html=html,
        message_id=message_id(notification),
        attachments=tuple(
            (item["filename"], item["content"], item["mimetype"])
            for item in notification.attachments
        ),
    )


def rendered_in(notification: Notification) -> translation.override:
    """The notification's language while its templates render (the site's own for staff
    messages, whatever language the worker or a request happens to be in)."""
    return translation.override(notification.language or settings.LANGUAGE_CODE)


def message_id(notification: Notification) -> str:
    """Stable per notification: a copy sent again after a crash carries the same one."""
    domain = _domain(settings.DEFAULT_FROM_EMAIL)
    return f"<notification-{notification.pk}.{notification.topic}@{domain}>"


@functools.cache
def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"
