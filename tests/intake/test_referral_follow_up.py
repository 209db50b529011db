"""A therapist's onward referral for a red flag to emergency care or imaging puts a call on
the front desk's board for the next working day (weekends and the clinic's closures
skipped); reaching the patient that day closes it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from intake.calendar import next_business_day
from intake.models import AppointmentRequest, CallTask, ReferralDestination
from intake.selectors.board import request_board
from intake.services.contact import REFERRAL_FOLLOW_UP, contact_attempt_record
from intake.services.referrals import referral_create
from scheduling.models import Closure
from staff.roles import FRONT_DESK
from tests.intake.staff import routine_request, staff_user, therapist_at, urgent_request

pytestmark = pytest.mark.django_db
CLINIC_TZ = ZoneInfo("America/Chicago")
FRIDAY = datetime(2026, 12, 4, 15, 30, tzinfo=CLINIC_TZ)
MONDAY = date(2026, 12, 7)


def refer(request: AppointmentRequest, destination: str, now: datetime = FRIDAY) -> CallTask | None:
    therapist = therapist_at(request.location)
    referral_create(
        intake=request.intake,
        destination=destination,
        reason="Locked knee: please assess today.",
        created_by=therapist.user,
        now=now,
    )
    return CallTask.objects.filter(request=request, kind=REFERRAL_FOLLOW_UP).first()


def call_owed(request: AppointmentRequest, at: datetime) -> bool:
    return bool(request_board(now=at).get(pk=request.pk).call_owed)


@pytest.mark.parametrize(
    "destination", [ReferralDestination.EMERGENCY_CARE, ReferralDestination.IMAGING]
)
def test_a_red_flag_referral_on_friday_gives_a_call_on_monday(destination: str) -> None:
    task = refer(urgent_request(), destination)

    assert task is not None
    assert task.due_on == MONDAY
    assert task.done_at is None


def test_a_closure_day_is_skipped() -> None:
    thursday = datetime(2026, 12, 10, 11, 0, tzinfo=CLINIC_TZ)
    Closure.objects.create(day=date(2026, 12, 11), name="Staff training")

    task = refer(urgent_request(), ReferralDestination.EMERGENCY_CARE, now=thursday)

    assert task is not None
    assert task.due_on == date(2026, 12, 14)


def test_a_closure_of_one_site_only_does_not_move_the_call() -> None:
    request = urgent_request()
    thursday = datetime(2026, 12, 10, 11, 0, tzinfo=CLINIC_TZ)
    Closure.objects.create(day=date(2026, 12, 11), name="Flooring", location=request.location)

    task = refer(request, ReferralDestination.EMERGENCY_CARE, now=thursday)

    assert task is not None
    assert task.due_on == date(2026, 12, 11)


def test_a_referral_at_the_weekend_gives_a_call_on_monday() -> None:
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=CLINIC_TZ)
    assert next_business_day(saturday) == MONDAY


@pytest.mark.parametrize(
    "destination", [ReferralDestination.PHYSICIAN, ReferralDestination.ORTHOPAEDIC_SURGEON]
)
def test_other_referrals_give_no_call(destination: str) -> None:
    assert refer(urgent_request(), destination) is None


def test_imaging_without_a_red_flag_gives_no_call() -> None:
    request = routine_request()
    assert not request.intake.prescreen.get("red_flags")

    assert refer(request, ReferralDestination.IMAGING) is None


def test_emergency_care_gives_a_call_even_without_a_red_flag() -> None:
    request = routine_request()
    assert not request.intake.prescreen.get("red_flags")

    assert refer(request, ReferralDestination.EMERGENCY_CARE) is not None


def test_the_call_is_owed_on_the_board_from_monday_not_before() -> None:
    request = urgent_request()
    refer(request, ReferralDestination.EMERGENCY_CARE)

    assert not call_owed(request, FRIDAY)
    assert call_owed(request, datetime(2026, 12, 7, 8, 0, tzinfo=CLINIC_TZ))


def test_reaching_the_patient_on_friday_leaves_mondays_follow_up() -> None:
    request = urgent_request()
    task = refer(request, ReferralDestination.EMERGENCY_CARE)
    desk = staff_user(FRONT_DESK)

    contact_attempt_record(
        appointment_request=request, user=desk, channel="phone", outcome="reached", now=FRIDAY
    )
    task.refresh_from_db()
    assert task.done_at is None

    monday = datetime(2026, 12, 7, 9, 15, tzinfo=CLINIC_TZ)
    contact_attempt_record(
        appointment_request=request, user=desk, channel="phone", outcome="reached", now=monday
    )
    task.refresh_from_db()
    assert (task.done_at, task.done_by) == (monday, desk)
    assert not call_owed(request, monday)


def test_the_front_desk_sees_the_follow_up_without_the_destination() -> None:
    request = urgent_request()
    therapist = therapist_at(request.location)
    therapist_client = Client()
    therapist_client.force_login(therapist.user)
    therapist_client.post(
        reverse("admin:intake_intake_referral", args=[request.intake_id]),
        {
            "destination": ReferralDestination.EMERGENCY_CARE,
            "reason": "Locked knee that will not straighten.",
        },
    )
    desk = Client()
    desk.force_login(staff_user(FRONT_DESK))

    page = desk.get(
        reverse("admin:intake_appointmentrequest_change", args=[request.pk])
    ).content.decode()

    task = CallTask.objects.get(request=request, kind=REFERRAL_FOLLOW_UP)
    assert task.due_on is not None
    assert "Check in after the therapist&#x27;s onward referral" in page
    assert "mergency" not in page
    assert "will not straighten" not in page
