"""Red-flag alerts as staff read them: the list, one intake's alert with its escalation so
far, the dashboard's figures, and whether an alert can reach anyone at all."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from intake.announcements import NotificationKind
from intake.escalation import ALERT_LEVELS, EscalationStep, alert_policy
from intake.models import AlertStatus, Intake, RedFlagAlert
from intake.recipients import alert_step_recipients
from notifications.models import Notification

ACKNOWLEDGEMENT_WINDOW = timedelta(days=30)
ALERT_KINDS = (NotificationKind.URGENT_ALERT, NotificationKind.ALERT_ESCALATION)


def alert_list() -> QuerySet[RedFlagAlert]:
    """Alerts with what their list shows, newest first; the intakes' answers stay unread."""
    return RedFlagAlert.objects.select_related(
        "intake__patient",
        "intake__request__location",
        "acknowledged_by",
        "contacted_by",
        "closed_by",
    ).defer("intake__answers", "intake__prescreen")


@dataclass(frozen=True)
class SentStep:
    number: int  # 1-based, as staff count
    description: str
    sent_at: datetime
    recipients: list[str]


@dataclass(frozen=True)
class DueStep:
    number: int
    description: str
    due_at: datetime


@dataclass(frozen=True)
class AlertPanel:
    """One intake's alert as its page shows it."""

    alert: RedFlagAlert
    sent: list[SentStep]
    # The next step, while nobody has acknowledged and one is left.
    next_step: DueStep | None


def alert_panel(intake: Intake) -> AlertPanel | None:
    """The intake's alert with the steps sent (who was told, when) and the next one due."""
    alert = (
        RedFlagAlert.objects.select_related("acknowledged_by", "contacted_by", "closed_by")
        .filter(intake=intake)
        .first()
    )
    if alert is None:
        return None
    policy = alert_policy(alert.level)
    by_step: dict[str, list[Notification]] = {}
    for notification in Notification.objects.filter(
        topic=intake.request.reference, kind__in=ALERT_KINDS
    ).order_by("created_at", "pk"):
        by_step.setdefault(notification.dedupe_key, []).append(notification)
    sent = []
    for index, step in enumerate(policy.steps):
        notifications = by_step.get(f"step-{index}", [])
        if notifications:
            sent.append(
                SentStep(
                    index + 1,
                    step.description,
                    notifications[0].created_at,
                    [n.recipient for n in notifications],
                )
            )
    next_step = None
    if alert.status == AlertStatus.RAISED and alert.next_step_at is not None:
        index = alert.steps_sent
        if index < len(policy.steps):
            next_step = DueStep(index + 1, policy.steps[index].description, alert.next_step_at)
    return AlertPanel(alert, sent, next_step)


@dataclass(frozen=True)
class AcknowledgementTimes:
    """How long alerts waited for someone to acknowledge them."""

    count: int
    median_minutes: float | None
    p90_minutes: float | None


def acknowledgement_times(*, now: datetime | None = None) -> AcknowledgementTimes:
    """Minutes from raising to acknowledging, over the alerts raised in the last 30 days
    that someone acknowledged: the median and the 90th percentile."""
    now = now or timezone.now()
    minutes = sorted(
        (acknowledged - raised).total_seconds() / 60
        for raised, acknowledged in RedFlagAlert.objects.filter(
            raised_at__gte=now - ACKNOWLEDGEMENT_WINDOW,
            raised_at__lte=now,
            acknowledged_at__isnull=False,
        ).values_list("raised_at", "acknowledged_at")
        if acknowledged is not None
    )
    if not minutes:
        return AcknowledgementTimes(0, None, None)
    return AcknowledgementTimes(
        count=len(minutes),
        median_minutes=round(statistics.median(minutes), 1),
        p90_minutes=round(_percentile(minutes, 0.9), 1),
    )


def _percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default), on sorted values."""
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def unacknowledged_alert_count() -> int:
    return RedFlagAlert.objects.filter(status=AlertStatus.RAISED).count()


def alert_reach_problems() -> list[str]:
    """Why a red-flag alert raised now would reach nobody, for the health check: empty when
    the first step of every level's chain reaches someone (perhaps only CLINIC_ALERT_EMAIL)."""
    problems = []
    for level in ALERT_LEVELS:
        first: EscalationStep = alert_policy(level).steps[0]
        if not alert_step_recipients(step=first, location_id=None):
            problems.append(
                f"a new {level.value} alert would reach nobody: no one among "
                f"{' and '.join(audience.label for audience in first.notify)} has an active "
                "account with an e-mail address, and CLINIC_ALERT_EMAIL is not set"
            )
    return problems
