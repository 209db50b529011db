"""`seed_demo --intakes N`: staff in each role and fake patients the staff pages can show."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from conditions.categories import Triage
from intake.demo import DEMO_STAFF
from intake.models import (
    AppointmentRequest,
    Intake,
    RequestStatus,
    Review,
)
from notifications.models import Notification, NotificationStatus

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
