"""Red-flag alerts: raised with the intake, escalated step by step until someone acknowledges,
and moved through their lifecycle, each move in the audit trail. The clock is injected
(`now=`); delivery by a real worker is in tests/integration/test_red_flag_alerts.py."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError

from conditions.categories import Triage
from intake.announcements import NotificationKind, notifications_for_alert_step
from intake.escalation import alert_policy, declaration_problems
from intake.models import AlertStatus, AppointmentRequest, ContactOutcome, Location, RedFlagAlert
from intake.services.alerts import (
    alert_acknowledge,
    alert_close,
    alert_record_contact,
    alerts_escalate,
)
from notifications.models import Notification
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory, submit_intake
from tests.factories import valid_answers as answers

pytestmark = pytest.mark.django_db
CLINIC_TZ = ZoneInfo("America/Chicago")
ALERT_ADDRESS = "clinic-alerts@clinic.example"  # development's CLINIC_ALERT_EMAIL
EMERGENCY = {"rf_calf_swelling": True}
URGENT = {"rf_locked": True}
TUESDAY_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=CLINIC_TZ)
FRIDAY_5PM = datetime(2026, 12, 4, 17, 0, tzinfo=CLINIC_TZ)


def staff(group: str, username: str) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def therapist(location: Location, username: str, **fields: Any) -> User:
    made = TherapistFactory(user=UserFactory(username=username), locations=[location], **fields)
    made.user.groups.add(Group.objects.get(name=roles.THERAPIST))
    return made.user


@pytest.fixture
def site() -> Location:
    return LocationFactory(name="Riverside")


@pytest.fixture
def clinic(site: Location) -> dict[str, User]:
    """An on-call therapist elsewhere, two therapists at the site, a manager."""
    return {
        "oncall": therapist(LocationFactory(name="Hillside"), "oncall", on_call=True),
        "theo": therapist(site, "theo"),
        "tam": therapist(site, "tam"),
        "boss": staff(roles.CLINIC_MANAGER, "boss"),
    }


def told(request: AppointmentRequest, step: int) -> set[str]:
    return set(
        Notification.objects.filter(topic=request.reference, dedupe_key=f"step-{step}")
        .values_list("recipient", flat=True)
        .distinct()
    )


def emergency(site: Location, now: datetime = TUESDAY_10AM) -> AppointmentRequest:
    return submit_intake(location=site, answers=answers(**EMERGENCY), now=now)


def test_an_emergency_raises_an_alert_that_tells_the_on_call_therapists_at_once(
    site: Location, clinic: dict[str, User]
) -> None:
    request = emergency(site)

    alert = request.intake.alert
    assert (alert.level, alert.status, alert.steps_sent) == (Triage.EMERGENCY, "raised", 1)
    assert told(request, 0) == {"oncall@clinic.example"}
    assert alert.next_step_at == TUESDAY_10AM + timedelta(minutes=10)
    first = Notification.objects.get(topic=request.reference, dedupe_key="step-0")
    assert first.kind == NotificationKind.URGENT_ALERT


def test_a_routine_intake_raises_no_alert(site: Location, clinic: dict[str, User]) -> None:
    request = submit_intake(location=site)

    assert not RedFlagAlert.objects.filter(intake=request.intake).exists()


def test_an_unacknowledged_emergency_escalates_each_step_once_at_its_time(
    site: Location, clinic: dict[str, User]
) -> None:
    request = emergency(site)
    at = TUESDAY_10AM.__add__

    assert alerts_escalate(now=at(timedelta(minutes=9, seconds=59))) == []
    second = alerts_escalate(now=at(timedelta(minutes=10)))
    assert {n.recipient for n in second} == told(request, 1)
    assert told(request, 1) == {"theo@clinic.example", "tam@clinic.example", "boss@clinic.example"}
    assert alerts_escalate(now=at(timedelta(minutes=19))) == []
    third = alerts_escalate(now=at(timedelta(minutes=20)))
    assert [n.recipient for n in third] == [ALERT_ADDRESS]
    assert alerts_escalate(now=at(timedelta(hours=5))) == []

    alert = RedFlagAlert.objects.get(pk=request.intake.alert.pk)
    assert (alert.steps_sent, alert.next_step_at) == (3, None)
    assert {n.kind for n in second + third} == {NotificationKind.ALERT_ESCALATION}


def test_a_late_beat_sends_every_step_due_in_order(site: Location, clinic: dict[str, User]) -> None:
    request = emergency(site)

    late = alerts_escalate(now=TUESDAY_10AM + timedelta(minutes=45))

    assert [n.dedupe_key for n in late] == ["step-1"] * 3 + ["step-2"]
    assert told(request, 2) == {ALERT_ADDRESS}


def test_acknowledging_stops_the_chain(site: Location, clinic: dict[str, User]) -> None:
    request = emergency(site)
    alert = request.intake.alert

    alert_acknowledge(alert=alert, user=clinic["oncall"], now=TUESDAY_10AM + timedelta(minutes=4))

    assert alerts_escalate(now=TUESDAY_10AM + timedelta(hours=1)) == []
    assert told(request, 1) == told(request, 2) == set()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == clinic["oncall"]
    assert alert.next_step_at is None


def test_a_step_is_recorded_once_even_when_recorded_twice(
    site: Location, clinic: dict[str, User]
) -> None:
    request = emergency(site)
    alert = request.intake.alert
    policy = alert_policy(alert.level)

    first = notifications_for_alert_step(alert=alert, step=1, policy=policy)
    again = notifications_for_alert_step(alert=alert, step=1, policy=policy)

    assert len(first) == 3
    assert again == []


def test_an_urgent_alert_tells_the_managers_after_two_hours_in_opening_hours(
    site: Location, clinic: dict[str, User]
) -> None:
    request = submit_intake(location=site, answers=answers(**URGENT), now=TUESDAY_10AM)

    assert told(request, 0) == {"oncall@clinic.example"}
    assert alerts_escalate(now=TUESDAY_10AM + timedelta(minutes=119)) == []
    assert [n.recipient for n in alerts_escalate(now=TUESDAY_10AM + timedelta(hours=2))] == [
        "boss@clinic.example"
    ]


def test_an_urgent_alert_at_closing_time_reaches_the_managers_when_the_clinic_opens(
    site: Location, clinic: dict[str, User]
) -> None:
    request = submit_intake(location=site, answers=answers(**URGENT), now=FRIDAY_5PM)
    saturday_8am = datetime(2026, 12, 5, 8, 0, tzinfo=CLINIC_TZ)

    assert request.intake.alert.next_step_at == saturday_8am
    assert alerts_escalate(now=saturday_8am - timedelta(minutes=1)) == []
    assert len(alerts_escalate(now=saturday_8am)) == 1


def test_with_nobody_on_call_and_no_manager_the_alert_reaches_the_clinic_alert_address(
    site: Location,
) -> None:
    request = submit_intake(location=site, answers=answers(**URGENT), now=TUESDAY_10AM)

    assert told(request, 0) == {ALERT_ADDRESS}
    assert told(request, 1) == set()
    alerts_escalate(now=TUESDAY_10AM + timedelta(hours=2))
    assert told(request, 1) == {ALERT_ADDRESS}


def test_without_any_recipient_the_alert_is_still_raised_and_logged(
    site: Location, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLINIC_ALERT_EMAIL = None
    with caplog.at_level(logging.ERROR, logger="intake.services.alerts"):
        request = emergency(site)

    assert request.intake.alert.status == AlertStatus.RAISED
    assert told(request, 0) == set()
    assert "reached nobody: set CLINIC_ALERT_EMAIL" in caplog.text
    assert request.reference not in caplog.text  # the log names no patient's request


# -- The lifecycle -----------------------------------------------------------------------------


def test_the_lifecycle_runs_raised_acknowledged_contacted_closed(
    site: Location, clinic: dict[str, User]
) -> None:
    alert = emergency(site).intake.alert
    theo = clinic["theo"]

    alert_acknowledge(alert=alert, user=theo)
    alert_record_contact(alert=alert, user=theo, outcome=ContactOutcome.NOT_REACHED)
    alert_record_contact(alert=alert, user=theo, outcome=ContactOutcome.EMERGENCY_CARE)
    alert_close(alert=alert, user=theo)

    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.contact_outcome == ContactOutcome.EMERGENCY_CARE
    assert alert.acknowledged_by == alert.contacted_by == alert.closed_by == theo


def test_recording_the_contact_first_acknowledges_the_alert(
    site: Location, clinic: dict[str, User]
) -> None:
    request = emergency(site)
    alert = request.intake.alert

    alert_record_contact(
        alert=alert, user=clinic["tam"], outcome=ContactOutcome.BOOKED, now=TUESDAY_10AM
    )

    assert alert.acknowledged_by == clinic["tam"]
    assert alerts_escalate(now=TUESDAY_10AM + timedelta(hours=1)) == []


@pytest.mark.parametrize(
    ("moves", "refused", "message"),
    [
        (["acknowledge"], "acknowledge", "is acknowledged: it cannot be acknowledged again"),
        ([], "close", "cannot be closed before the contact with the patient is recorded"),
        (
            ["acknowledge"],
            "close",
            "cannot be closed before the contact with the patient is recorded",
        ),
    ],
)
def test_a_move_the_lifecycle_does_not_allow_is_refused_with_a_reason(
    site: Location, clinic: dict[str, User], moves: list[str], refused: str, message: str
) -> None:
    alert = emergency(site).intake.alert
    do = {
        "acknowledge": lambda: alert_acknowledge(alert=alert, user=clinic["theo"]),
        "close": lambda: alert_close(alert=alert, user=clinic["theo"]),
    }
    for move in moves:
        do[move]()

    with pytest.raises(ValidationError) as refusal:
        do[refused]()
    assert message in " ".join(refusal.value.messages)


def test_an_unknown_outcome_is_refused(site: Location, clinic: dict[str, User]) -> None:
    alert = emergency(site).intake.alert

    with pytest.raises(ValidationError):
        alert_record_contact(alert=alert, user=clinic["theo"], outcome="cured")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RAISED


def test_every_step_of_the_lifecycle_is_in_the_audit_trail(
    site: Location, clinic: dict[str, User]
) -> None:
    from auditlog.context import set_actor

    alert = emergency(site).intake.alert
    theo = clinic["theo"]
    for move in (
        lambda: alert_acknowledge(alert=alert, user=theo),
        lambda: alert_record_contact(alert=alert, user=theo, outcome=ContactOutcome.SEE_DOCTOR),
        lambda: alert_close(alert=alert, user=theo),
    ):
        with set_actor(theo):
            move()

    entries = LogEntry.objects.get_for_object(alert).order_by("timestamp", "pk")
    changed = [set(entry.changes_dict) for entry in entries]
    assert {"status", "acknowledged_at", "acknowledged_by"} <= changed[-3]
    assert {"contact_outcome", "contacted_by"} <= changed[-2]
    assert {"status", "closed_by"} <= changed[-1]
    assert all(entry.actor == theo for entry in entries.filter(actor__isnull=False))
    assert entries.filter(actor=theo).count() == 3
    # The outcome of the call is clinical: the trail names the change, not the value.
    assert "see_doctor" not in str([entry.changes for entry in entries])


# -- The declaration ---------------------------------------------------------------------------


def test_the_default_chains_are_as_the_clinic_asked() -> None:
    emergency, urgent = alert_policy("emergency"), alert_policy("urgent")

    assert [(s.after, s.notify) for s in emergency.steps] == [
        (timedelta(0), ("on_call",)),
        (timedelta(minutes=10), ("site_therapists", "managers")),
        (timedelta(minutes=20), ("alert_address",)),
    ]
    assert [(s.after, s.notify, s.opening_hours) for s in urgent.steps] == [
        (timedelta(0), ("on_call",), False),
        (timedelta(hours=2), ("managers",), True),
    ]
    assert declaration_problems() == []


def test_a_broken_declaration_is_named_by_the_system_check(settings: Any) -> None:
    from intake.checks import red_flag_alert_settings

    settings.RED_FLAG_ALERTS = {
        "emergency": {
            "call_back_minutes": 60,
            "steps": [{"after_minutes": 5, "notify": ["on_call"]}],
        },
        "urgent": {"call_back_minutes": 60, "steps": [{"after_minutes": 0, "notify": ["pager"]}]},
    }

    messages = [message.msg for message in red_flag_alert_settings()]

    assert "RED_FLAG_ALERTS: the emergency chain must start with a step at 0 minutes." in messages
    assert any("the urgent chain cannot be read" in message for message in messages)


def test_a_step_waiting_for_opening_hours_never_goes_before_the_step_ahead(
    settings: Any,
) -> None:
    settings.CLINIC_OPENING_HOURS = {day: (time(8), time(18)) for day in range(5)}
    settings.RED_FLAG_ALERTS = {
        **settings.RED_FLAG_ALERTS,
        "urgent": {
            "call_back_minutes": 60,
            "steps": [
                {"after_minutes": 0, "notify": ["on_call"]},
                {"after_minutes": 60, "notify": ["managers"], "opening_hours": True},
                {"after_minutes": 90, "notify": ["alert_address"]},
            ],
        },
    }
    policy = alert_policy("urgent")
    friday_evening = datetime(2026, 12, 4, 20, 0, tzinfo=CLINIC_TZ)
    monday_8am = datetime(2026, 12, 7, 8, 0, tzinfo=CLINIC_TZ)

    assert policy.due_at(friday_evening, 1) == monday_8am
    assert policy.due_at(friday_evening, 2) == monday_8am


def test_the_escalation_email_says_how_long_nobody_answered_and_links_to_acknowledge(
    site: Location, clinic: dict[str, User], settings: Any
) -> None:
    from notifications.delivery import render_email

    settings.SITE_URL = "https://intake.clinic.example"
    request = emergency(site)
    (to_theo, *_) = alerts_escalate(now=TUESDAY_10AM + timedelta(minutes=10))

    email = render_email(to_theo)

    assert (
        email.subject
        == f"URGENT, not acknowledged: intake {request.reference} needs a clinician now"
    )
    assert "10\xa0minutes after it was raised" in email.text
    assert "https://intake.clinic.example/admin/intake/redflagalert/acknowledge/" in email.text
    assert "the clinic's alert address (after 20 minutes)" in email.text
