"""Red-flag alerts: raising one with an urgent or emergency intake, its escalation until
someone acknowledges it, and each move of its lifecycle (acknowledge, record the contact with
the patient, close). Which moves are allowed comes from `intake.models.alerts`.

Every move locks the alert and saves it, so each lands in the audit trail with who made it;
a step of the chain is recorded through the outbox in the same transaction as the alert's
progress, so it is sent once even when two workers run the escalation at the same moment.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.announcements import notifications_for_alert_step
from intake.escalation import ALERT_LEVELS, alert_policy
from intake.models import (
    ACKNOWLEDGE_FROM,
    CLOSE_FROM,
    CONTACT_FROM,
    AlertStatus,
    AppointmentRequest,
    ContactOutcome,
    Intake,
    RedFlagAlert,
)
from notifications.models import Notification

logger = logging.getLogger(__name__)


def alert_raise(*, intake: Intake, now: datetime | None = None) -> RedFlagAlert | None:
    """Raise the alert for an urgent or emergency intake and record its first step (at
    once). None for a routine intake. Call inside the transaction that saves the intake."""
    if intake.triage not in ALERT_LEVELS:
        return None
    now = now or timezone.now()
    alert = RedFlagAlert.objects.create(
        intake=intake, level=intake.triage, raised_at=now, next_step_at=now
    )
    _send_due_steps(alert, now)
    return alert


def alerts_escalate(*, now: datetime | None = None) -> list[Notification]:
    """Record every step now due of every alert nobody has acknowledged (beat). A step is
    recorded once: each alert is locked while its due steps are recorded, and the outbox
    records a message once per step and recipient."""
    now = now or timezone.now()
    due = RedFlagAlert.objects.filter(status=AlertStatus.RAISED, next_step_at__lte=now)
    created: list[Notification] = []
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            alert = RedFlagAlert.objects.select_for_update().filter(pk=pk).first()
            # Another worker may have sent the step, or someone acknowledged, meanwhile.
            if alert is None or alert.status != AlertStatus.RAISED:
                continue
            if alert.next_step_at is None or alert.next_step_at > now:
                continue
            created += _send_due_steps(alert, now)
    return created


def _send_due_steps(alert: RedFlagAlert, now: datetime) -> list[Notification]:
    """Record the steps due by `now` (all of them when the beat was down a while: a late
    step is never skipped) and when the next one is due. The alert must be locked."""
    policy = alert_policy(alert.level)
    # The steps that wait for opening hours wait for the hours of the request's site.
    location_id = (
        AppointmentRequest.objects.filter(intake_id=alert.intake_id)
        .values_list("location_id", flat=True)
        .first()
    )
    created: list[Notification] = []
    while alert.steps_sent < len(policy.steps) and (
        policy.due_at(alert.raised_at, alert.steps_sent, location_id=location_id) <= now
    ):
        step = alert.steps_sent
        told = notifications_for_alert_step(alert=alert, step=step, policy=policy, now=now)
        if not told:
            logger.error(
                "Red-flag alert %s, step %s reached nobody: set CLINIC_ALERT_EMAIL", alert.pk, step
            )
        created += told
        alert.steps_sent = step + 1
    alert.next_step_at = (
        policy.due_at(alert.raised_at, alert.steps_sent, location_id=location_id)
        if alert.steps_sent < len(policy.steps)
        else None
    )
    alert.save(update_fields=["steps_sent", "next_step_at"])
    return created


def _locked(alert: RedFlagAlert, allowed: frozenset[AlertStatus], action: str) -> RedFlagAlert:
    locked = RedFlagAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.status not in allowed:
        raise ValidationError(
            f"This alert is {locked.get_status_display().lower()}: it cannot be {action}."
        )
    return locked


def _copy_back(source: RedFlagAlert, target: RedFlagAlert) -> None:
    for field in (
        "status",
        "next_step_at",
        "acknowledged_at",
        "acknowledged_by",
        "contacted_at",
        "contacted_by",
        "contact_outcome",
        "closed_at",
        "closed_by",
    ):
        setattr(target, field, getattr(source, field))


def _acknowledge(alert: RedFlagAlert, user: User, now: datetime) -> None:
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = user
    alert.next_step_at = None  # acknowledging stops the chain


def alert_acknowledge(*, alert: RedFlagAlert, user: User, now: datetime | None = None) -> None:
    """`user` has seen the alert and takes it on: the escalation stops.

    Raises ``ValidationError`` when it is already acknowledged (the message says so)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(alert, ACKNOWLEDGE_FROM, "acknowledged again")
        _acknowledge(locked, user, now)
        locked.save()
    _copy_back(locked, alert)


def alert_record_contact(
    *, alert: RedFlagAlert, user: User, outcome: str, now: datetime | None = None
) -> None:
    """`user` contacted the patient (or tried), with `outcome`. It acknowledges the alert if
    nobody had; it may be recorded again (a later call after "could not reach")."""
    if outcome not in ContactOutcome.values:
        raise ValidationError({"outcome": "Choose how the contact ended."})
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(alert, CONTACT_FROM, "updated")
        if locked.status == AlertStatus.RAISED:
            _acknowledge(locked, user, now)
        locked.status = AlertStatus.CONTACTED
        locked.contacted_at = now
        locked.contacted_by = user
        locked.contact_outcome = outcome
        locked.save()
    _copy_back(locked, alert)


def alert_close(*, alert: RedFlagAlert, user: User, now: datetime | None = None) -> None:
    """Close the alert once the patient's contact is recorded: nothing more to do on it."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(
            alert, CLOSE_FROM, "closed before the contact with the patient is recorded"
        )
        locked.status = AlertStatus.CLOSED
        locked.closed_at = now
        locked.closed_by = user
        locked.save()
    _copy_back(locked, alert)
