"""What each message about an appointment request and its red-flag alert says, and when
it is recorded (who receives it: ``intake.recipients``).

Every message is recorded through the outbox (`notifications.outbox`) inside the
transaction of the event it announces, with the subject, the template and the small context
it is rendered from. No message carries clinical detail: staff read the reference, the
triage level and the site, and follow a link to the staff pages; patients read their
reference, the site and a link to their status page. Answers, categories, scores and
diagnoses never leave the database through here.

A patient's messages are written in the patient's language (``Patient.preferred_language``,
the language they used on the site): the subject and every text worked out here are put in
it when the message is recorded, and the worker renders the templates in it (the outbox
records it with the message). Staff messages and calls on the board stay in English.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.creations import record_creations
from clinic import languages
from conditions.categories import Triage
from intake import alert_links, status_links
from intake.advice import promise_texts
from intake.calendar import add_business_days
from intake.escalation import ALERT_LEVELS, AlertPolicy
from intake.models import (
    CLOSED_STATUSES,
    AppointmentRequest,
    CallTask,
    ContactMethod,
    Intake,
    RedFlagAlert,
    Referral,
    ReferralStatus,
    RequestStatus,
)
from intake.recipients import (
    alert_step_recipients,
    group_recipients,
    manager_recipients,
    new_request_therapists,
    patient_recipients,
    referrer_recipients,
    therapist_recipients,
    unique_recipients,
)
from notifications.models import Notification
from notifications.outbox import Message, Recipient, notifications_record_event
from staff import roles

logger = logging.getLogger(__name__)
# `notifications_for_new_request` without an alert given: find out whether one was raised.
LOOK_UP = object()


class NotificationKind(models.TextChoices):
    NEW_REQUEST_STAFF = "new_request_staff", "New request (staff)"
    URGENT_ALERT = "urgent_alert", "Red-flag alert"
    ALERT_ESCALATION = "alert_escalation", "Red-flag alert not acknowledged: escalated"
    PATIENT_ACK = "patient_ack", "Acknowledgement (patient)"
    PATIENT_SCHEDULED = "patient_scheduled", "Appointment scheduled (patient)"
    PATIENT_CANCELLED = "patient_cancelled", "Request cancelled (patient)"
    ESCALATION = "escalation", "Escalation: intake not reviewed (managers)"
    DELIVERY_FAILED = "delivery_failed", "Delivery failed (managers)"
    REFERRAL_OVERDUE = "referral_overdue", "Referral overdue (its author)"
    REFERRER_ACK = "referrer_ack", "Acknowledgement (the referrer, with the patient's consent)"


URGENT_TRIAGE = ALERT_LEVELS
# Subjects carry the reference only: a subject line is shown on lock screens.
SUBJECTS: dict[str, Any] = {
    NotificationKind.NEW_REQUEST_STAFF: "New appointment request {reference}",
    NotificationKind.URGENT_ALERT: "URGENT: intake {reference} needs a clinician now",
    NotificationKind.ALERT_ESCALATION: (
        "URGENT, not acknowledged: intake {reference} needs a clinician now"
    ),
    NotificationKind.PATIENT_ACK: _("We received your request ({reference})"),
    NotificationKind.PATIENT_SCHEDULED: _("Your appointment is booked ({reference})"),
    NotificationKind.PATIENT_CANCELLED: _("Your request was cancelled ({reference})"),
    NotificationKind.ESCALATION: "Escalation: intake {reference} is still not reviewed",
    NotificationKind.DELIVERY_FAILED: "A notification for {reference} could not be delivered",
    NotificationKind.REFERRAL_OVERDUE: "A referral for {reference} is overdue",
    NotificationKind.REFERRER_ACK: "A patient you referred has contacted us ({reference})",
}


# -- Calls owed ------------------------------------------------------------------------------


# What a call stands for, on the board, for a patient who prefers a phone call.
CALL_TASKS = {
    NotificationKind.PATIENT_ACK: "Tell them we received their request and will arrange a time",
    NotificationKind.PATIENT_SCHEDULED: "Confirm their appointment: {appointment_time}",
    NotificationKind.PATIENT_CANCELLED: "Tell them their request was cancelled",
}


def _call_task(
    appointment_request: AppointmentRequest,
    kind: NotificationKind,
    context: dict[str, Any],
    dedupe_key: str = "",
) -> None:
    """Put a call on the board for a patient who prefers a phone call, once per message."""
    if appointment_request.patient.preferred_contact != ContactMethod.PHONE:
        return
    with translation.override(settings.LANGUAGE_CODE):  # the board is in English
        what = CALL_TASKS[kind].format(**context)[:200]
    CallTask.objects.get_or_create(
        request=appointment_request, kind=kind, dedupe_key=dedupe_key, defaults={"what": what}
    )


# -- What a message says ---------------------------------------------------------------------


def _context(appointment_request: AppointmentRequest, **extra: Any) -> dict[str, Any]:
    location = appointment_request.location
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "reference": appointment_request.reference,
        "location": {"name": location.name, "address": location.address, "phone": location.phone},
        **extra,
    }


def _staff_context(
    appointment_request: AppointmentRequest, link: str, **extra: Any
) -> dict[str, Any]:
    triage = appointment_request.intake.triage
    return _context(
        appointment_request,
        link=link,
        triage=str(Triage(triage).label),
        urgent=triage in URGENT_TRIAGE,
        routine_review_days=settings.NOTIFICATION_ROUTINE_REVIEW_DAYS,
        **extra,
    )


def patient_language(appointment_request: AppointmentRequest) -> str:
    """The language the patient's messages are written in: the one they used on the site."""
    return languages.patient_language(appointment_request.patient.preferred_language)


def in_patient_language(appointment_request: AppointmentRequest) -> translation.override:
    """Work out a patient message's texts in the patient's language (`with` block)."""
    return translation.override(patient_language(appointment_request))


def patient_context(appointment_request: AppointmentRequest, **extra: Any) -> dict[str, Any]:
    return _context(
        appointment_request,
        link=settings.SITE_URL + status_links.status_path(appointment_request),
        first_name=appointment_request.patient.first_name,
        **extra,
    )


def _message(
    appointment_request: AppointmentRequest,
    kind: NotificationKind,
    recipients: Iterable[Recipient],
    context: dict[str, Any],
    **options: Any,
) -> Message:
    """One message; a patient's (its kind's subject is translated) in their language, with
    its subject in it, a staff message in English."""
    patient = not isinstance(SUBJECTS[kind], str)
    language = patient_language(appointment_request) if patient else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = str(SUBJECTS[kind]).format(reference=appointment_request.reference)
    return Message(
        kind=kind,
        subject=subject,
        template=f"intake/email/{kind}",
        context=context,
        recipients=recipients,
        language=language if patient else "",
        **options,
    )


def _record(
    appointment_request: AppointmentRequest,
    kind: NotificationKind,
    recipients: Iterable[Recipient],
    context: dict[str, Any],
    **options: Any,
) -> list[Notification]:
    return record_request_event(
        appointment_request, [_message(appointment_request, kind, recipients, context, **options)]
    )


def record_request_event(
    appointment_request: AppointmentRequest, messages: Iterable[Message], *, new: bool = False
) -> list[Notification]:
    """The outbox writes its rows in bulk, without auditlog's per-save entry: the trail gets
    them here (held with the other records of a submission). `new`: the request was created
    in this transaction."""
    created = notifications_record_event(
        topic=appointment_request.reference, messages=messages, new_topic=new
    )
    record_creations(created)
    return created


def _admin_url(name: str, pk: int) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=[pk])
    except NoReverseMatch:
        # The page is missing from the admin: the admin's front page still gets them in.
        logger.error("No admin page %s; linking to the admin index", name)
        return settings.SITE_URL + reverse("admin:index")


def _intake_link(appointment_request: AppointmentRequest) -> str:
    return _admin_url("admin:intake_intake_change", appointment_request.intake_id)


def _request_link(appointment_request: AppointmentRequest) -> str:
    return _admin_url("admin:intake_appointmentrequest_change", appointment_request.pk)


def appointment_time_text(when: datetime) -> str:
    """“Tuesday, December 1, 2026 at 9:30 AM (CST)”, in the clinic's time zone and the active
    language."""
    local = timezone.localtime(when)
    return gettext("%(day)s at %(time)s") % {
        # Translators: a date format (Django's date filter): "Tuesday, December 1, 2026".
        "day": dateformat.format(local, gettext("l, F j, Y")),
        "time": dateformat.format(local, "g:i A (T)"),
    }


# -- Recording (inside the caller's transaction) ------------------------------------------


def notifications_for_new_request(
    *, appointment_request: AppointmentRequest, alert: RedFlagAlert | object | None = LOOK_UP
) -> list[Notification]:
    """Record what a new request announces: the staff message and the patient's
    acknowledgement (with the safety advice and when the clinic will call, when the intake
    raised a red-flag alert). Call inside the transaction that creates the request, after
    the alert's first step (`alert`: the one just raised, or None; looked up when not
    given): nobody receives two messages about it. All in one outbox event."""
    if alert is LOOK_UP:
        alert = RedFlagAlert.objects.filter(intake_id=appointment_request.intake_id).first()
    assert alert is None or isinstance(alert, RedFlagAlert)
    alerted = (
        [
            Recipient(address)
            for address in Notification.objects.filter(
                topic=appointment_request.reference, kind=NotificationKind.URGENT_ALERT
            ).values_list("recipient", flat=True)
        ]
        if alert is not None
        else []
    )
    therapists = unique_recipients(
        therapist_recipients(new_request_therapists(appointment_request=appointment_request)),
        besides=alerted,
    )
    desk = unique_recipients(group_recipients(roles.FRONT_DESK), besides=[*alerted, *therapists])
    with in_patient_language(appointment_request):  # "10:45 AM today" in their words
        advice = (
            promise_texts(
                level=alert.level,
                raised_at=alert.raised_at,
                now=alert.raised_at,
                location_id=appointment_request.location_id,
            )
            if alert is not None
            else None
        )
    # Therapists open the intake; the front desk opens the request. (The patient's request
    # may be in another language: the staff's texts are in English.)
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            _message(
                appointment_request,
                NotificationKind.NEW_REQUEST_STAFF,
                recipients,
                _staff_context(appointment_request, link),
            )
            for recipients, link in (
                (therapists, _intake_link(appointment_request)),
                (desk, _request_link(appointment_request)),
            )
        ]
    acknowledgement = patient_context(appointment_request, advice=advice)
    messages.append(
        _message(
            appointment_request,
            NotificationKind.PATIENT_ACK,
            patient_recipients(appointment_request.patient, urgent=advice is not None),
            acknowledgement,
        )
    )
    _call_task(appointment_request, NotificationKind.PATIENT_ACK, acknowledgement)
    if (referrer := referrer_recipients(appointment_request)) is not None:
        messages.append(
            _message(
                appointment_request,
                NotificationKind.REFERRER_ACK,
                referrer,
                referrer_context(appointment_request),
            )
        )
    return record_request_event(appointment_request, messages, new=True)


def referrer_context(appointment_request: AppointmentRequest) -> dict[str, Any]:
    """What the referrer's letter says: that the patient (by name) contacted the clinic, when,
    the reference and how to reach the clinic. Nothing of the intake: not the knee, not the
    triage, not a link (the status link is the patient's alone)."""
    patient = appointment_request.patient
    return _context(
        appointment_request,
        referrer_name=appointment_request.referrer_name,
        patient_name=f"{patient.first_name} {patient.last_name}",
        contacted_on=dateformat.format(
            timezone.localtime(appointment_request.created_at), "F j, Y"
        ),
    )


def notifications_for_alert_step(
    *, alert: RedFlagAlert, step: int, policy: AlertPolicy, now: datetime | None = None
) -> list[Notification]:
    """Record step `step` of the alert's chain: the first tells its audience at once, each
    later one says nobody has acknowledged yet. Once per step and recipient. The message
    links to the page that acknowledges the alert (sign-in required)."""
    appointment_request = AppointmentRequest.objects.select_related("location", "intake").get(
        intake_id=alert.intake_id
    )
    recipients = alert_step_recipients(
        step=policy.steps[step], location_id=appointment_request.location_id
    )
    following = policy.steps[step + 1] if step + 1 < len(policy.steps) else None
    with translation.override(settings.LANGUAGE_CODE):
        context = _staff_alert_context(
            alert, appointment_request, following.description if following is not None else "", now
        )
    kind = NotificationKind.URGENT_ALERT if step == 0 else NotificationKind.ALERT_ESCALATION
    return _record(appointment_request, kind, recipients, context, dedupe_key=f"step-{step}")


def _staff_alert_context(
    alert: RedFlagAlert,
    appointment_request: AppointmentRequest,
    next_step: str,
    now: datetime | None,
) -> dict[str, Any]:
    return _staff_context(
        appointment_request,
        _intake_link(appointment_request),
        acknowledge_link=settings.SITE_URL + alert_links.acknowledge_path(alert),
        waiting=timesince(alert.raised_at, now or timezone.now(), depth=2),
        next_step=next_step,
    )


def notifications_for_status_change(
    *,
    appointment_request: AppointmentRequest,
    attachments: list[dict[str, str]] | None = None,
) -> list[Notification]:
    """Record the patient's message for the request's new status: "scheduled" (once per
    time and therapist, so a re-schedule is announced again) or "cancelled" (once).
    Other statuses tell the patient nothing. Call inside the transaction that changes it."""
    patient = patient_recipients(appointment_request.patient)
    if appointment_request.status == RequestStatus.SCHEDULED:
        when, therapist = appointment_request.scheduled_at, appointment_request.scheduled_therapist
        assert when is not None, "a scheduled request has a time"
        assert therapist is not None, "a scheduled request has a therapist"
        with in_patient_language(appointment_request):
            context = patient_context(
                appointment_request,
                appointment_time=appointment_time_text(when),
                therapist=str(therapist),
            )
        # The appointment it announces: a new time or therapist is a new message.
        dedupe_key = f"{when.astimezone(UTC).isoformat()}|{therapist.pk}"
        with translation.override(settings.LANGUAGE_CODE):  # the board's words
            call = {**context, "appointment_time": appointment_time_text(when)}
        _call_task(appointment_request, NotificationKind.PATIENT_SCHEDULED, call, dedupe_key)
        return _record(
            appointment_request,
            NotificationKind.PATIENT_SCHEDULED,
            patient,
            context,
            dedupe_key=dedupe_key,
        )
    if appointment_request.status == RequestStatus.CANCELLED:
        context = patient_context(appointment_request)
        _call_task(appointment_request, NotificationKind.PATIENT_CANCELLED, context)
        return _record(
            appointment_request,
            NotificationKind.PATIENT_CANCELLED,
            patient,
            context,
            attachments=attachments or (),
        )
    return []


def outage_recipients() -> list[str]:
    """Who gets the one report of a mail outage (``NOTIFICATION_OUTAGE_RECIPIENTS``): the
    clinic managers and the clinic's alert address."""
    addresses = [recipient.address for recipient in manager_recipients()]
    if settings.CLINIC_ALERT_EMAIL:
        addresses.append(settings.CLINIC_ALERT_EMAIL)
    return addresses


def notification_failed(*, notification: Notification) -> list[Notification]:
    """Tell the managers that a notification failed for good, once per failed notification
    (``NOTIFICATION_FAILURE_HANDLER``). A failed failure report is not reported again."""
    if notification.kind == NotificationKind.DELIVERY_FAILED:
        return []
    appointment_request = (
        AppointmentRequest.objects.select_related("location")
        .filter(reference=notification.topic)
        .first()
    )
    if appointment_request is None:
        return []
    context = _context(
        appointment_request,
        link=_admin_url("admin:notifications_notification_change", notification.pk),
        failed_kind=notification.get_kind_display(),
    )
    return _record(
        appointment_request,
        NotificationKind.DELIVERY_FAILED,
        manager_recipients(),
        context,
        dedupe_key=str(notification.pk),
        about=notification,
    )


# -- Escalation of routine intakes (beat) ----------------------------------------------------


def escalation_due_at(intake: Intake) -> datetime | None:
    """When a routine intake needing review, still unreviewed, escalates to the managers, or
    None if it never does. (Urgent and emergency intakes escalate as red-flag alerts.)"""
    if intake.triage not in URGENT_TRIAGE and intake.needs_review:
        return add_business_days(intake.submitted_at, settings.NOTIFICATION_ROUTINE_REVIEW_DAYS)
    return None


def notifications_escalate(*, now: datetime | None = None) -> list[Notification]:
    """Tell the managers, once, about each routine intake needing review that is still
    unreviewed past its deadline, unless its request was cancelled or closed."""
    now = now or timezone.now()
    managers = manager_recipients()
    if not managers:
        return []
    # Business days are never shorter than calendar days: a cheap first cut in SQL.
    routine_cut = now - timedelta(days=settings.NOTIFICATION_ROUTINE_REVIEW_DAYS)
    escalated = Notification.objects.filter(kind=NotificationKind.ESCALATION).values("topic")
    candidates = (
        Intake.objects.filter(reviewed_at__isnull=True, request__isnull=False)
        .filter(needs_review=True, submitted_at__lte=routine_cut)
        .exclude(triage__in=URGENT_TRIAGE)
        .exclude(request__status__in=CLOSED_STATUSES)
        .exclude(request__reference__in=escalated)
        .select_related("request__location")
    )
    created = []
    for intake in candidates:
        due = escalation_due_at(intake)
        if due is not None and due <= now:
            appointment_request = intake.request
            context = _staff_context(appointment_request, _intake_link(appointment_request))
            with transaction.atomic():
                created += _record(
                    appointment_request, NotificationKind.ESCALATION, managers, context
                )
    return created


# -- Overdue referrals (beat) ----------------------------------------------------------------


def notifications_remind_overdue_referrals(*, today: date | None = None) -> list[Notification]:
    """Remind each overdue referral's author, once a day while it stays overdue. The message
    says only which request, where and the due date: the destination and the reason, which
    are clinical, are on the intake page behind the sign-in."""
    today = today or timezone.localdate()
    overdue = (
        Referral.objects.filter(due_on__lt=today)
        .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.RESULT_RECEIVED])
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .exclude(created_by__email="")
        .select_related("intake__request__location", "created_by")
    )
    created = []
    for referral in overdue:
        assert referral.due_on is not None  # the filter on due_on says so
        appointment_request = referral.intake.request
        context = _context(
            appointment_request,
            link=_intake_link(appointment_request),
            due_on=dateformat.format(referral.due_on, "l, F j, Y"),
        )
        with transaction.atomic():
            created += _record(
                appointment_request,
                NotificationKind.REFERRAL_OVERDUE,
                [Recipient(referral.created_by.email, referral.created_by)],
                context,
                dedupe_key=f"{referral.pk}:{today.isoformat()}",
            )
            Referral.objects.filter(pk=referral.pk).update(reminded_on=today)
    return created
