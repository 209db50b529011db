"""Who is told what about a request, when, and what the messages say (never clinical detail).
No worker here: delivery is in tests/integration/test_notification_delivery.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from conditions.categories import Category, Triage
from conditions.models import ConditionCategory
from intake.announcements import (
    NotificationKind,
    notifications_escalate,
    notifications_for_status_change,
    notifications_remind_overdue_referrals,
)
from intake.calendar import add_business_days
from intake.models import (
    AppointmentRequest,
    Location,
    Referral,
    ReferralDestination,
    ReferralStatus,
    RequestStatus,
    Therapist,
)
from intake.questionnaire import KNEE_V1
from intake.services.alerts import alerts_escalate
from intake.services.requests import request_cancel_by_patient
from notifications.delivery import render_email, report_failure
from notifications.models import Notification, NotificationStatus
from staff import roles
from tests.factories import (
    LocationFactory,
    TherapistFactory,
    UserFactory,
    patient_details,
    submit_intake,
    valid_answers,
)

pytestmark = pytest.mark.django_db
CLINIC_TZ = ZoneInfo("America/Chicago")


def staff(group: str, username: str) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def specialist(location: Location, *codes: str, username: str, **fields: Any) -> Therapist:
    therapist = TherapistFactory(
        user=UserFactory(username=username), locations=[location], **fields
    )
    therapist.specialties.set(ConditionCategory.objects.filter(code__in=codes))
    return therapist


def recipients(request: AppointmentRequest, kind: NotificationKind) -> set[str]:
    return set(
        Notification.objects.filter(topic=request.reference, kind=kind).values_list(
            "recipient", flat=True
        )
    )


@pytest.fixture
def site() -> Location:
    return LocationFactory(name="Riverside")


def test_new_request_goes_to_specialists_in_the_top_category_and_the_front_desk(
    site: Location,
) -> None:
    specialist(site, Category.PATELLOFEMORAL, username="pf")
    specialist(site, Category.BURSITIS, username="bursa")
    staff(roles.FRONT_DESK, "desk")

    request = submit_intake(location=site)

    assert request.intake.top_category == Category.PATELLOFEMORAL
    assert recipients(request, NotificationKind.NEW_REQUEST_STAFF) == {
        "pf@clinic.example",
        "desk@clinic.example",
    }


def test_new_request_goes_to_every_therapist_there_when_none_specialises(site: Location) -> None:
    specialist(site, Category.BURSITIS, username="bursa")
    specialist(site, Category.ARTHRITIS, username="arthro")

    request = submit_intake(location=site)

    assert recipients(request, NotificationKind.NEW_REQUEST_STAFF) == {
        "bursa@clinic.example",
        "arthro@clinic.example",
    }


def test_therapists_elsewhere_or_not_taking_new_patients_are_not_told(site: Location) -> None:
    specialist(site, Category.PATELLOFEMORAL, username="full", accepting_new_patients=False)
    specialist(LocationFactory(name="Hillside"), Category.PATELLOFEMORAL, username="away")
    specialist(site, Category.PATELLOFEMORAL, username="here")

    request = submit_intake(location=site)

    assert recipients(request, NotificationKind.NEW_REQUEST_STAFF) == {"here@clinic.example"}


def test_the_patient_is_acknowledged(site: Location) -> None:
    request = submit_intake(location=site, patient=patient_details(email="sam@example.com"))

    assert recipients(request, NotificationKind.PATIENT_ACK) == {"sam@example.com"}


REFERRED: dict[str, Any] = {
    "referral_source": "physician",
    "referrer_name": "Dr Ada Osei",
    "referrer_practice": "Eastside Family Practice",
    "referrer_email": "a.osei@eastside.example",
    "referrer_may_be_told": True,
}


def test_the_referrer_is_told_when_the_patient_agreed_and_gave_their_address(
    site: Location,
) -> None:
    request = submit_intake(location=site, **REFERRED)
    assert recipients(request, NotificationKind.REFERRER_ACK) == {"a.osei@eastside.example"}


@pytest.mark.parametrize(
    "changes",
    [{"referrer_may_be_told": False}, {"referrer_email": ""}],
    ids=["no consent", "no address"],
)
def test_the_referrer_is_not_told_without_consent_or_an_address(
    site: Location, changes: dict[str, Any]
) -> None:
    request = submit_intake(location=site, **{**REFERRED, **changes})
    assert recipients(request, NotificationKind.REFERRER_ACK) == set()


def test_the_referrers_letter_says_only_that_the_patient_contacted_us(
    site: Location, settings: Any
) -> None:
    settings.SITE_URL = "https://intake.clinic.example"
    answers = valid_answers(rf_locked=True, goal=GOAL)
    request = submit_intake(
        location=site,
        answers=answers,
        patient=patient_details(first_name="Dana", last_name="Quill"),
        knee_notes="It swells after long runs.",
        **REFERRED,
    )
    email = render_email(Notification.objects.get(kind=NotificationKind.REFERRER_ACK))
    assert email.subject == f"A patient you referred has contacted us ({request.reference})"
    for body in (email.text, email.html):
        assert "Dear Dr Ada Osei" in body
        assert "your patient Dana Quill" in body
        assert request.reference in body
        assert settings.CLINIC_PHONE in body
        # No link: the status link is the patient's, the staff pages the staff's.
        assert "https://intake.clinic.example" not in body
        assert Triage(request.intake.triage).label.lower() not in body.lower()
        assert "swells" not in body
        assert mentions(body, clinical_phrases(request)) == []


def test_routine_intake_sends_no_urgent_alert(site: Location) -> None:
    specialist(site, username="oncall", on_call=True)
    staff(roles.CLINIC_MANAGER, "boss")

    request = submit_intake(location=site)

    assert request.intake.triage == Triage.ROUTINE
    assert recipients(request, NotificationKind.URGENT_ALERT) == set()


def test_urgent_intake_alerts_the_on_call_therapists_at_once_each_once(site: Location) -> None:
    specialist(site, username="oncall", on_call=True)  # also at the site: one e-mail, not two
    specialist(LocationFactory(name="Hillside"), username="oncall2", on_call=True)
    specialist(site, username="offduty")
    staff(roles.CLINIC_MANAGER, "boss")  # told later, if nobody acknowledges

    request = submit_intake(location=site, answers=valid_answers(rf_locked=True))

    assert request.intake.triage == Triage.URGENT
    assert recipients(request, NotificationKind.URGENT_ALERT) == {
        "oncall@clinic.example",
        "oncall2@clinic.example",
    }
    assert recipients(request, NotificationKind.NEW_REQUEST_STAFF) == {"offduty@clinic.example"}


def test_scheduling_tells_the_patient_and_a_reschedule_tells_them_again(site: Location) -> None:
    therapist = specialist(site, username="pf")
    request = submit_intake(location=site)

    first = schedule(request, therapist, datetime(2026, 12, 1, 9, 30, tzinfo=CLINIC_TZ))
    same_again = notifications_for_status_change(appointment_request=request)
    second = schedule(request, therapist, datetime(2026, 12, 3, 16, 0, tzinfo=CLINIC_TZ))

    assert [n.kind for n in first] == [NotificationKind.PATIENT_SCHEDULED]
    assert same_again == []
    assert len(second) == 1
    assert Notification.objects.filter(kind=NotificationKind.PATIENT_SCHEDULED).count() == 2


def test_the_scheduled_message_gives_the_time_in_the_clinic_time_zone(site: Location) -> None:
    therapist = specialist(site, username="pf")
    therapist.user.first_name, therapist.user.last_name = "Jordan", "Lee"
    therapist.user.save()
    request = submit_intake(location=site)
    (notification,) = schedule(
        request, therapist, datetime(2026, 12, 1, 15, 30, tzinfo=ZoneInfo("UTC"))
    )

    text = render_email(notification).text

    assert "Tuesday, December 1, 2026 at 9:30 AM (CST)" in text
    assert "Jordan Lee" in text
    assert site.name in text


def test_cancelling_by_the_patient_tells_them_once(site: Location) -> None:
    request = submit_intake(location=site)

    assert request_cancel_by_patient(appointment_request=request)
    assert not request_cancel_by_patient(appointment_request=request)

    assert Notification.objects.filter(kind=NotificationKind.PATIENT_CANCELLED).count() == 1


def test_other_status_changes_tell_the_patient_nothing(site: Location) -> None:
    request = submit_intake(location=site)
    request.status = RequestStatus.CONTACTED

    assert notifications_for_status_change(appointment_request=request) == []


# -- Escalation ------------------------------------------------------------------------------


def needing_review(request: AppointmentRequest, submitted: datetime) -> None:
    type(request.intake).objects.filter(pk=request.intake_id).update(
        submitted_at=submitted, needs_review=True, triage=Triage.ROUTINE
    )


def test_a_reviewed_intake_does_not_escalate(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    request = submit_intake(location=site)
    needing_review(request, timezone.now())
    type(request.intake).objects.filter(pk=request.intake_id).update(reviewed_at=timezone.now())

    assert notifications_escalate(now=timezone.now() + timedelta(days=7)) == []


def test_a_cancelled_request_does_not_escalate_its_review(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    request = submit_intake(location=site)
    needing_review(request, timezone.now())
    request_cancel_by_patient(appointment_request=request)

    assert notifications_escalate(now=timezone.now() + timedelta(days=7)) == []


def test_urgent_intakes_escalate_as_alerts_not_as_unreviewed_intakes(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    submit_intake(location=site, answers=valid_answers(rf_locked=True))

    assert notifications_escalate(now=timezone.now() + timedelta(days=7)) == []


def test_routine_intake_needing_review_escalates_after_two_business_days(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    request = submit_intake(location=site)
    needing_review(request, datetime(2026, 11, 20, 15, 0, tzinfo=CLINIC_TZ))  # Friday afternoon

    monday_evening = datetime(2026, 11, 23, 18, 0, tzinfo=CLINIC_TZ)
    tuesday_afternoon = datetime(2026, 11, 24, 15, 0, tzinfo=CLINIC_TZ)
    assert notifications_escalate(now=monday_evening) == []
    assert len(notifications_escalate(now=tuesday_afternoon)) == 1


def test_routine_intake_not_needing_review_never_escalates(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    request = submit_intake(location=site)
    type(request.intake).objects.filter(pk=request.intake_id).update(needs_review=False)

    assert notifications_escalate(now=timezone.now() + timedelta(days=30)) == []


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (datetime(2026, 11, 23, 10, 0), datetime(2026, 11, 25, 10, 0)),  # Monday -> Wednesday
        (datetime(2026, 11, 20, 15, 0), datetime(2026, 11, 24, 15, 0)),  # Friday -> Tuesday
        (datetime(2026, 11, 21, 10, 0), datetime(2026, 11, 25, 0, 0)),  # Saturday -> Wed 00:00
        (datetime(2026, 11, 19, 23, 30), datetime(2026, 11, 23, 23, 30)),  # Thursday -> Monday
    ],
)
def test_business_days_skip_the_weekend_in_the_clinic_time_zone(
    start: datetime, due: datetime
) -> None:
    result = add_business_days(start.replace(tzinfo=CLINIC_TZ), 2)

    assert result == due.replace(tzinfo=CLINIC_TZ)


# -- What the e-mails say ----------------------------------------------------------------------

GOAL = "Run the Zebra Lake marathon in April"


def clinical_phrases(request: AppointmentRequest) -> list[str]:
    """Everything about the knee that must never appear in an e-mail: the wording of the
    questions answered, the options chosen, the free text, categories and scores."""
    intake = request.intake
    phrases = {GOAL}
    for link_id, value in intake.answers.items():
        item = KNEE_V1.by_link_id[link_id]
        phrases.add(item.text.en)
        for code in value if isinstance(value, list) else [value]:
            if item.options:
                phrases.add(item.option_text(code))
    for category in Category:
        phrases |= {category.value, category.label}
    for scored in intake.prescreen["categories"]:
        phrases |= {f"{scored['score']:.2f}", *scored["reasons"]}
    for flag in intake.prescreen["red_flags"]:
        phrases |= {flag["code"], flag["reason"]}
    return sorted(phrases)


def mentions(text: str, phrases: list[str]) -> list[str]:
    """The phrases found in the text as whole words, ignoring case."""
    return [p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text, re.IGNORECASE)]


# The patient's acknowledgement says when the clinic calls: one text while it is open, another
# when it is closed.
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=CLINIC_TZ)
SATURDAY_EVENING = datetime(2026, 12, 5, 20, 0, tzinfo=CLINIC_TZ)


@pytest.mark.parametrize("submitted", [TUESDAY_MORNING, SATURDAY_EVENING], ids=["open", "closed"])
def test_no_email_of_any_kind_carries_clinical_detail(
    site: Location, settings: Any, submitted: datetime
) -> None:
    settings.CLINIC_NAME = "Riverside Knee Clinic"  # "Running" is also an answer option
    therapist = specialist(site, Category.PATELLOFEMORAL, username="pf", on_call=True)
    staff(roles.FRONT_DESK, "desk")
    manager = staff(roles.CLINIC_MANAGER, "boss")
    answers = valid_answers(rf_locked=True, goal=GOAL, mechanical=["giving_way"])
    # Referred by a physician who may be told: the referrer's acknowledgement too.
    request = submit_intake(location=site, answers=answers, now=submitted, **REFERRED)
    alerts_escalate(now=submitted + timedelta(days=3))
    # The routine escalation of an unreviewed intake, as if it had been routine.
    type(request.intake).objects.filter(pk=request.intake_id).update(triage=Triage.ROUTINE)
    notifications_escalate(now=submitted + timedelta(days=5))
    schedule(request, therapist, timezone.now() + timedelta(days=2))
    request_cancel_by_patient(appointment_request=request)
    failed = Notification.objects.filter(kind=NotificationKind.PATIENT_ACK).get()
    failed.status = NotificationStatus.FAILED
    failed.save()
    report_failure(notification=failed)
    assert manager.email in recipients(request, NotificationKind.DELIVERY_FAILED)
    # A referral overdue: its author is reminded.
    Referral.objects.create(
        intake=request.intake,
        destination=ReferralDestination.ORTHOPAEDIC_SURGEON,
        reason="Locked knee after a twist.",
        created_by=therapist.user,
        status=ReferralStatus.SENT,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    notifications_remind_overdue_referrals()

    emails = [render_email(n) for n in Notification.objects.filter(topic=request.reference)]

    assert {n.kind for n in Notification.objects.all()} == set(NotificationKind)
    forbidden = clinical_phrases(request)
    for email in emails:
        for body in (email.subject, email.text, email.html):
            found = mentions(body, forbidden)
            assert found == [], f"{email.subject!r} to {email.to} mentions {found}"


def test_staff_emails_give_triage_and_link_to_the_admin_patient_emails_to_the_status_page(
    site: Location, settings: Any
) -> None:
    settings.SITE_URL = "https://intake.clinic.example"
    staff(roles.FRONT_DESK, "desk")
    request = submit_intake(location=site, answers=valid_answers(rf_locked=True))
    desk = Notification.objects.get(kind=NotificationKind.NEW_REQUEST_STAFF)
    patient = Notification.objects.get(kind=NotificationKind.PATIENT_ACK)

    desk_email, patient_email = render_email(desk), render_email(patient)

    change = reverse("admin:intake_appointmentrequest_change", args=[request.pk])
    assert f"https://intake.clinic.example{change}" in desk_email.text
    assert Triage(request.intake.triage).label in desk_email.text
    assert "https://intake.clinic.example/status/" in patient_email.text
    assert Triage(request.intake.triage).label not in patient_email.text
    assert request.reference in patient_email.subject


def test_urgent_alert_subject_is_marked_urgent(site: Location) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    submit_intake(location=site, answers=valid_answers(rf_locked=True))

    alert = render_email(Notification.objects.get(kind=NotificationKind.URGENT_ALERT))

    assert alert.subject.startswith("URGENT")


# -- Sweeper and retry -------------------------------------------------------------------------


# -- helpers -----------------------------------------------------------------------------------


def schedule(request: AppointmentRequest, therapist: Therapist, at: datetime) -> list[Notification]:
    request.status = RequestStatus.SCHEDULED
    request.scheduled_at = at
    request.scheduled_therapist = therapist
    request.save()
    return notifications_for_status_change(appointment_request=request)


@pytest.mark.parametrize(
    ("submitted", "says"),
    [
        (
            TUESDAY_MORNING,
            "We will look at your request first. "
            "Someone from our team will call you by 2:00 PM today.",
        ),
        (
            SATURDAY_EVENING,
            "Our clinic is closed now: nobody will see your request before 8:00 AM on Monday, "
            "December 7. We will call you by 12:00 PM on Monday, December 7.",
        ),
    ],
    ids=["open", "closed"],
)
def test_an_urgent_patients_acknowledgement_repeats_the_advice_and_says_by_when(
    site: Location, submitted: datetime, says: str
) -> None:
    request = submit_intake(location=site, answers=valid_answers(rf_locked=True), now=submitted)

    email = render_email(
        Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    )

    text = " ".join(email.text.split())
    assert "Please see a doctor in the next day or two" in text
    assert says in text
    assert "go to an urgent care clinic" in text
    assert says.split(": ")[-1].split(".")[0] in " ".join(email.html.split())


def test_an_emergency_patients_acknowledgement_says_to_call_the_emergency_number(
    site: Location, settings: Any
) -> None:
    request = submit_intake(
        location=site, answers=valid_answers(rf_calf_swelling=True), now=TUESDAY_MORNING
    )

    email = render_email(
        Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    )

    text = " ".join(email.text.split())
    assert f"Call {settings.EMERGENCY_NUMBER} or go to an emergency department now" in text
    assert (
        "We have told our on-call therapist. Someone from our team will call you by 11:00 AM today"
        in text
    )


def test_a_routine_acknowledgement_gives_no_alarm(site: Location) -> None:
    request = submit_intake(location=site)

    email = render_email(
        Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    )

    assert "emergency department now" not in email.text
    assert "see a doctor" not in email.text
    assert "will call you by" not in email.text
