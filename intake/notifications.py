"""Notifications: who is told what, recording the messages, and delivering them.

Record first, then send. The service that changes a request records its ``Notification``
rows in the same transaction; once the transaction commits, one Celery task per row is
published (a broker outage leaves the rows ``pending`` for the sweeper). Delivery claims
the row with a conditional update, sends outside any transaction and records the outcome.

No message carries clinical detail: staff read the reference, the triage level and the
location, and follow a link to the admin; patients read their reference, the location and
a link to their status page. Answers, categories, scores and diagnoses never leave the
database through here.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from conditions.categories import Triage
from intake.calendar import add_business_days
from intake.models import (
    AppointmentRequest,
    Intake,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestStatus,
    Therapist,
)
from intake.site import status_links
from intake.transports import Email, TransportError, send_email
from staff import roles

logger = logging.getLogger(__name__)

URGENT_TRIAGE = (Triage.URGENT, Triage.EMERGENCY)
PATIENT_KINDS = {
    NotificationKind.PATIENT_ACK,
    NotificationKind.PATIENT_SCHEDULED,
    NotificationKind.PATIENT_CANCELLED,
}
# Subjects carry the reference only: a subject line is shown on lock screens.
SUBJECTS = {
    NotificationKind.NEW_REQUEST_STAFF: "New appointment request {reference}",
    NotificationKind.URGENT_ALERT: "URGENT: intake {reference} needs a clinician now",
    NotificationKind.PATIENT_ACK: "We received your request ({reference})",
    NotificationKind.PATIENT_SCHEDULED: "Your appointment is booked ({reference})",
    NotificationKind.PATIENT_CANCELLED: "Your request was cancelled ({reference})",
    NotificationKind.ESCALATION: "Escalation: intake {reference} is still not reviewed",
    NotificationKind.DELIVERY_FAILED: "A notification for {reference} could not be delivered",
}


@dataclass(frozen=True)
class Recipient:
    address: str
    user: AbstractBaseUser | None = None


# -- Who gets what -------------------------------------------------------------------------


def _group_recipients(group_name: str) -> list[Recipient]:
    users = (
        get_user_model()
        .objects.filter(groups__name=group_name, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    return [Recipient(user.email, user) for user in users]


def _therapist_recipients(therapists: Iterable[Therapist]) -> list[Recipient]:
    return [Recipient(t.user.email, t.user) for t in therapists if t.user.email]


def new_request_staff_recipients(*, request: AppointmentRequest) -> list[Recipient]:
    """The therapists at the chosen site who take new patients and specialise in the intake's
    top category (every one of them there who takes new patients when none specialises),
    the therapist the patient asked for, and the front desk."""
    at_location = Therapist.objects.filter(
        locations=request.location, accepting_new_patients=True, user__is_active=True
    ).select_related("user")
    top = request.intake.top_category
    specialists = list(at_location.filter(specialties__code=top).distinct()) if top else []
    therapists = specialists or list(at_location)
    preferred = request.therapist_preference
    if preferred is not None and preferred.user.is_active and preferred not in therapists:
        therapists.append(preferred)
    return _unique(_therapist_recipients(therapists) + _group_recipients(roles.FRONT_DESK))


def urgent_alert_recipients() -> list[Recipient]:
    """The on-call therapists (any site) and the clinic managers."""
    on_call = Therapist.objects.filter(on_call=True, user__is_active=True).select_related("user")
    return _unique(_therapist_recipients(on_call) + _group_recipients(roles.CLINIC_MANAGER))


def manager_recipients() -> list[Recipient]:
    return _unique(_group_recipients(roles.CLINIC_MANAGER))


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    unique = []
    for recipient in recipients:
        key = recipient.address.lower()
        if key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


# -- Recording (inside the caller's transaction) ------------------------------------------


def notifications_record(
    *,
    request: AppointmentRequest,
    kind: NotificationKind,
    recipients: Iterable[Recipient],
    dedupe_key: str = "",
    about: Notification | None = None,
) -> list[Notification]:
    """Record one notification per recipient, inside the caller's transaction; one already
    recorded is not recorded again. Returns the new rows, published once it commits."""
    created = []
    for recipient in recipients:
        notification, is_new = Notification.objects.get_or_create(
            request=request,
            kind=kind,
            recipient=recipient.address,
            dedupe_key=dedupe_key,
            defaults={"recipient_user": recipient.user, "about": about},
        )
        if is_new:
            created.append(notification)
    enqueue_on_commit(created)
    return created


def notifications_for_new_request(*, request: AppointmentRequest) -> list[Notification]:
    """Record what a new request announces: the staff message, an urgent alert when the
    pre-screen says urgent or emergency, and the patient's acknowledgement. Call inside
    the transaction that creates the request. Nobody receives two messages about it."""
    created = []
    alerted: set[str] = set()
    if request.intake.triage in URGENT_TRIAGE:
        urgent = urgent_alert_recipients()
        alerted = {recipient.address.lower() for recipient in urgent}
        created += notifications_record(
            request=request, kind=NotificationKind.URGENT_ALERT, recipients=urgent
        )
    staff = [
        r for r in new_request_staff_recipients(request=request) if r.address.lower() not in alerted
    ]
    created += notifications_record(
        request=request, kind=NotificationKind.NEW_REQUEST_STAFF, recipients=staff
    )
    created += notifications_record(
        request=request,
        kind=NotificationKind.PATIENT_ACK,
        recipients=[Recipient(request.patient.email)],
    )
    return created


def notifications_for_status_change(*, request: AppointmentRequest) -> list[Notification]:
    """Record the patient's message for the request's new status: "scheduled" (once per
    time and therapist, so a re-schedule is announced again) or "cancelled" (once).
    Other statuses tell the patient nothing. Call inside the transaction that changes it."""
    patient = [Recipient(request.patient.email)]
    if request.status == RequestStatus.SCHEDULED:
        return notifications_record(
            request=request,
            kind=NotificationKind.PATIENT_SCHEDULED,
            recipients=patient,
            dedupe_key=_schedule_key(request.scheduled_at, request.scheduled_therapist_id),
        )
    if request.status == RequestStatus.CANCELLED:
        return notifications_record(
            request=request, kind=NotificationKind.PATIENT_CANCELLED, recipients=patient
        )
    return []


def _schedule_key(scheduled_at: datetime | None, therapist_id: int | None) -> str:
    """The appointment a "scheduled" message announces, kept in the row so the message
    shows the time it was recorded for even if the request is re-scheduled meanwhile."""
    assert scheduled_at is not None, "a scheduled request has a time"
    return f"{scheduled_at.astimezone(UTC).isoformat()}|{therapist_id}"


def _schedule_from_key(key: str) -> tuple[datetime | None, Therapist | None]:
    at_text, _, therapist_id = key.partition("|")
    therapist = (
        Therapist.objects.select_related("user").filter(pk=therapist_id).first()
        if therapist_id.isdigit()
        else None
    )
    return parse_datetime(at_text), therapist


# -- Escalation (beat) ---------------------------------------------------------------------


def escalation_due_at(intake: Intake) -> datetime | None:
    """When an unreviewed intake escalates to the managers, or None if it never does."""
    if intake.triage in URGENT_TRIAGE:
        return intake.submitted_at + timedelta(hours=settings.NOTIFICATION_URGENT_REVIEW_HOURS)
    if intake.needs_review:
        return add_business_days(intake.submitted_at, settings.NOTIFICATION_ROUTINE_REVIEW_DAYS)
    return None


def notifications_escalate(*, now: datetime | None = None) -> list[Notification]:
    """Tell the managers, once, about each intake still unreviewed past its deadline."""
    now = now or timezone.now()
    managers = manager_recipients()
    if not managers:
        return []
    # Business days are never shorter than calendar days: a cheap first cut in SQL.
    routine_cut = now - timedelta(days=settings.NOTIFICATION_ROUTINE_REVIEW_DAYS)
    urgent_cut = now - timedelta(hours=settings.NOTIFICATION_URGENT_REVIEW_HOURS)
    candidates = (
        Intake.objects.filter(reviewed_at__isnull=True, request__isnull=False)
        .filter(
            Q(triage__in=URGENT_TRIAGE, submitted_at__lte=urgent_cut)
            | Q(needs_review=True, submitted_at__lte=routine_cut)
        )
        .exclude(request__notifications__kind=NotificationKind.ESCALATION)
        .select_related("request")
    )
    created = []
    for intake in candidates:
        due = escalation_due_at(intake)
        if due is not None and due <= now:
            with transaction.atomic():
                created += notifications_record(
                    request=intake.request, kind=NotificationKind.ESCALATION, recipients=managers
                )
    return created


# -- Publishing ----------------------------------------------------------------------------


def enqueue_on_commit(notifications: Iterable[Notification]) -> None:
    """Publish a delivery task per notification once the current transaction commits."""
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(partial(notifications_enqueue, notification_ids=ids), robust=True)


def notifications_enqueue(*, notification_ids: Iterable[int], countdown: float = 0) -> int:
    """Publish delivery tasks; returns how many were published. Never raises for a broker
    outage and never waits long for one: the rows stay pending and the sweeper publishes
    them again when the broker is back."""
    from intake.tasks import notification_deliver

    published = 0
    for notification_id in notification_ids:
        try:
            notification_deliver.apply_async(
                (notification_id,), countdown=countdown or None, retry=False
            )
        except Exception as error:  # kombu/redis raise several types for "broker down"
            logger.warning(
                "Broker unavailable, notification %s left for the sweeper: %s",
                notification_id,
                type(error).__name__,
            )
            break
        published += 1
    return published


# -- Delivery --------------------------------------------------------------------------------


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
    one, or the last attempt, marks it failed and tells the managers.
    """
    if connection.in_atomic_block:
        raise RuntimeError("deliver notifications outside any transaction")
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=claimed_at
    ).update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, claimed_at=claimed_at)
    if not claimed:
        return SKIPPED
    notification = (
        Notification.objects.select_related(
            "request__location", "request__intake", "request__patient", "recipient_user__therapist"
        )
        # The answers never go into a message; not even loaded.
        .defer("request__intake__answers", "request__intake__prescreen")
        .get(pk=notification_id)
    )
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
    delay = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_DELAY)
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


def report_failure(*, notification: Notification) -> list[Notification]:
    """Tell the managers that a notification failed for good, once per failed notification.
    A failed failure report is not reported again (no loop)."""
    if notification.kind == NotificationKind.DELIVERY_FAILED:
        return []
    if notification.status != NotificationStatus.FAILED:
        return []
    return notifications_record(
        request=notification.request,
        kind=NotificationKind.DELIVERY_FAILED,
        recipients=manager_recipients(),
        dedupe_key=str(notification.pk),
        about=notification,
    )


# -- The sweeper and the admin's retry -----------------------------------------------------


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


# -- Rendering -------------------------------------------------------------------------------


def render_email(notification: Notification) -> Email:
    """The e-mail for one notification, from templates and non-clinical facts only."""
    request = notification.request
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "reference": request.reference,
        "location": request.location,
        "link": notification_link(notification),
        "kind": notification.kind,
    }
    if notification.kind in PATIENT_KINDS:
        context["first_name"] = request.patient.first_name
    else:
        context["triage"] = Triage(request.intake.triage).label
        context["urgent"] = request.intake.triage in URGENT_TRIAGE
        context["urgent_review_hours"] = settings.NOTIFICATION_URGENT_REVIEW_HOURS
        context["routine_review_days"] = settings.NOTIFICATION_ROUTINE_REVIEW_DAYS
    if notification.kind == NotificationKind.PATIENT_SCHEDULED:
        scheduled_at, therapist = _schedule_from_key(notification.dedupe_key)
        context["scheduled_at"] = timezone.localtime(scheduled_at) if scheduled_at else None
        context["therapist"] = therapist
    if notification.kind == NotificationKind.DELIVERY_FAILED and notification.about:
        context["failed_kind"] = notification.about.get_kind_display()
    template = f"intake/email/{notification.kind}"
    return Email(
        to=notification.recipient,
        subject=SUBJECTS[NotificationKind(notification.kind)].format(reference=request.reference),
        text=render_to_string(f"{template}.txt", context).strip() + "\n",
        html=render_to_string(f"{template}.html", context),
        message_id=message_id(notification),
    )


def message_id(notification: Notification) -> str:
    """Stable per notification: a copy sent again after a crash carries the same one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.pk}.{notification.request.reference}@{domain}>"


def notification_link(notification: Notification) -> str:
    """The patient's status page, or the admin page the staff member works from."""
    request = notification.request
    if notification.kind in PATIENT_KINDS:
        return settings.SITE_URL + status_links.status_path(request)
    if notification.kind == NotificationKind.DELIVERY_FAILED and notification.about_id:
        return _admin_url("admin:intake_notification_change", notification.about_id)
    user = notification.recipient_user
    clinician = notification.kind in {
        NotificationKind.URGENT_ALERT,
        NotificationKind.ESCALATION,
    } or (user is not None and hasattr(user, "therapist"))
    if clinician:
        return _admin_url("admin:intake_intake_change", request.intake_id)
    return _admin_url("admin:intake_appointmentrequest_change", request.pk)


def _admin_url(name: str, pk: int) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=[pk])
    except NoReverseMatch:
        # The page is missing from the admin: the admin's front page still gets them in.
        logger.error("No admin page %s; linking to the admin index", name)
        return settings.SITE_URL + reverse("admin:index")
