"""`seed_demo --intakes N`: staff in each role and fake patients the staff pages can show."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conditions.categories import Triage
from intake.demo import DEMO_STAFF
from intake.models import (
    AlertStatus,
    AppointmentRequest,
    Intake,
    RedFlagAlert,
    RequestStatus,
    Review,
)
from intake.selectors.alerts import acknowledgement_times
from notifications.models import Notification, NotificationStatus
from tests.factories import LocationFactory, submit_intake, valid_answers

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.timeout(120)
def test_seed_demo_makes_intakes_of_every_triage_requests_in_every_status_and_reviews() -> None:
    seed("--intakes", "24", "--seed", "7")
    assert Intake.objects.count() == 24
    assert set(Intake.objects.values_list("triage", flat=True)) == set(Triage.values)
    assert Intake.objects.values("top_category").distinct().count() >= 5
    assert set(AppointmentRequest.objects.values_list("status", flat=True)) == set(
        RequestStatus.values
    )
    assert Review.objects.exists()
    assert all(
        patient_email.endswith("@example.com")
        for patient_email in AppointmentRequest.objects.values_list("patient__email", flat=True)
    )


def test_seeded_history_leaves_no_e_mail_waiting_to_be_sent(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        seed("--intakes", "4", "--seed", "3")
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()


def test_seed_demo_tops_up_rather_than_adding_again() -> None:
    seed("--intakes", "3", "--seed", "1")
    assert "none made" in seed("--intakes", "3")
    assert Intake.objects.count() == 3


def test_the_staff_password_is_printed_only_when_the_accounts_are_made() -> None:
    first = seed()
    again = seed()
    assert "shown only now" in first
    assert all(username in first for username in DEMO_STAFF)
    assert "shown only now" not in again


def test_seeded_alerts_are_acknowledged_so_the_demo_starts_quiet() -> None:

    seed("--intakes", "24", "--seed", "7")

    alerts = RedFlagAlert.objects.all()
    assert alerts.exists()
    assert not alerts.filter(status=AlertStatus.RAISED).exists()
    assert acknowledgement_times().count >= 1


def test_the_demo_clock_runs_the_escalation_ahead_of_time(settings) -> None:  # type: ignore[no-untyped-def]

    request = submit_intake(
        location=LocationFactory(), answers=valid_answers(rf_numb_cold_foot=True)
    )
    out = StringIO()

    call_command("alerts_escalate", stdout=out)
    call_command("alerts_escalate", "--minutes-ahead", "10", stdout=out)

    lines = out.getvalue().splitlines()
    assert "no step of any red-flag alert is due" in lines[0]
    assert f"alert for {request.reference}, step 2, to clinic-alerts@clinic.example." in lines[1]
    assert RedFlagAlert.objects.get().steps_sent == 2


def test_the_demo_clock_is_refused_in_production(settings) -> None:  # type: ignore[no-untyped-def]

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="for demos"):
        call_command("alerts_escalate", "--minutes-ahead", "10")
