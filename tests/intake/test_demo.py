"""`seed_demo --intakes N`: staff in each role and fake patients the staff pages can show."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from conditions.categories import Triage
from intake.demo import DEMO_STAFF, demo_highlights, demo_password_file, demo_password_read
from intake.models import (
    AlertStatus,
    AppointmentRequest,
    Document,
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
    assert Intake.objects.values("top_category").distinct().count() == 7
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


def test_the_staff_password_is_kept_for_the_banner_readable_by_its_owner_alone() -> None:
    first = seed()
    password = demo_password_read()
    assert password is not None
    assert password in first
    assert all(username in first for username in DEMO_STAFF)
    assert demo_password_file().stat().st_mode & 0o777 == 0o600

    seed()
    assert demo_password_read() == password, "a second run keeps the password"
    seed("--reset-password")
    assert demo_password_read() not in (None, password)


def test_a_password_changed_since_is_not_shown_as_the_demo_password() -> None:
    seed()
    user = get_user_model().objects.get(username="demo-frontdesk")
    user.set_password("changed by a manager")
    user.save()
    assert demo_password_read() is None


def test_the_newest_intakes_tell_the_story_the_banner_names() -> None:

    seed("--intakes", "24", "--seed", "7")

    raised = RedFlagAlert.objects.filter(status=AlertStatus.RAISED)
    assert [alert.level for alert in raised] == [Triage.EMERGENCY], "one alert still waits"
    assert acknowledgement_times().count >= 1, "the history's alerts were acknowledged"
    story = demo_highlights()
    assert [highlight.what.split(", ")[1].split(":")[0] for highlight in story] == [
        "emergency",
        "flagged",
        "new",
    ]
    waiting = Intake.objects.get(pk=int(story[1].path.split("/")[-3]))
    assert waiting.needs_review
    assert waiting.reviewed_at is None
    new = AppointmentRequest.objects.get(pk=int(story[2].path.split("/")[-3]))
    assert new.status == RequestStatus.NEW
    # What the story's patients sent: a card for the front desk, a letter for the therapist.
    assert [document.kind for document in new.documents.all()] == ["insurance_front"]
    assert Document.objects.filter(
        kind="referral_letter", request__intake__triage=Triage.URGENT
    ).exists()


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


def banner() -> str:
    out = StringIO()
    call_command("demo_banner", "--base-url", "http://testserver", stdout=out)
    return out.getvalue()


def test_without_two_factor_the_banner_prints_no_set_up_links() -> None:
    seed()

    assert "/admin/sign-in/enrol/" not in banner()


def test_with_two_factor_on_the_banner_prints_a_set_up_link_that_works(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_2FA_REQUIRED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed("--reset-password")
    links = dict(
        re.findall(r"^    (demo-\S+) +http://testserver(/admin/sign-in/enrol/\S+)$", banner(), re.M)
    )

    # The front desk need no second factor; therapists and the manager each get a link.
    assert sorted(links) == ["demo-manager", "demo-therapist", "demo-therapist2"]
    client = Client()
    client.post(
        reverse("admin:login"), {"username": "demo-manager", "password": demo_password_read()}
    )
    assert client.get(links["demo-manager"]).url == reverse("admin:signin_enrol")
    assert b"QR code" in client.get(reverse("admin:signin_enrol")).content
