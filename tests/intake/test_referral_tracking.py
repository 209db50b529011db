"""Referrals tracked to closure: addressed from the directory, the letter about this patient
and this knee, draft → sent → acknowledged → seen → result received, overdue on the
dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import Referral, ReferralContact, ReferralDestination, ReferralStatus
from staff.roles import THERAPIST
from tests.intake.staff import staff_user, therapist_at, urgent_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client() -> tuple[Client, object]:
    request = urgent_request()
    therapist = therapist_at(
        request.location, credentials="PT, DPT", user__first_name="Theo", user__last_name="Hale"
    )
    client = Client()
    client.force_login(therapist.user)
    return client, request


def contact() -> ReferralContact:
    return ReferralContact.objects.create(
        kind=ReferralDestination.ORTHOPAEDIC_SURGEON,
        name="Dr Mira Osei",
        practice="Riverside Orthopaedics",
        address="3 Bridge Street\nSpringfield",
        fax="555-0199",
    )


def test_from_an_intake_to_a_printed_tracked_referral(therapist_client) -> None:  # type: ignore[no-untyped-def]
    client, request = therapist_client
    addressee = contact()
    clicks = 0
    # 1: "Write a referral" on the intake page; 2: save and print.
    clicks += 1
    response = client.post(
        reverse("admin:intake_intake_referral", args=[request.intake_id]),
        {
            "destination": ReferralDestination.ORTHOPAEDIC_SURGEON,
            "contact": addressee.pk,
            "reason": "Locked knee after a twist: please assess for a meniscal tear.",
        },
    )
    clicks += 1
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    letter = client.get(response["Location"]).content.decode()
    assert "Dr Mira Osei" in letter
    assert "Riverside Orthopaedics" in letter
    assert "Fax 555-0199" in letter
    assert "Right knee" in letter or "Left knee" in letter or "Both knees" in letter
    flag = request.intake.prescreen["red_flags"][0]["reason"]
    day = timezone.localtime(request.intake.submitted_at).strftime("%-d %B %Y")
    assert flag in letter
    assert f"questionnaire of {day}" in letter
    assert "Theo Hale, PT, DPT" in letter
    # 3: print (the browser's), 4: mark it sent.
    clicks += 2
    response = client.post(
        reverse("admin:intake_referral_advance", args=[referral.pk]),
        {"to": "sent", "via": "printed"},
        follow=True,
    )
    referral.refresh_from_db()
    assert (referral.status, referral.sent_via) == (ReferralStatus.SENT, "printed")
    assert referral.due_on is not None
    assert referral.due_on > timezone.localdate()
    assert "due back by" in response.content.decode()
    assert clicks <= 4


def test_a_referral_moves_forward_to_its_result_and_never_back(therapist_client) -> None:  # type: ignore[no-untyped-def]
    client, request = therapist_client
    referral = Referral.objects.create(
        intake=request.intake,
        destination=ReferralDestination.IMAGING,
        reason="X-ray",
        created_by=staff_user(THERAPIST),
    )
    advance = reverse("admin:intake_referral_advance", args=[referral.pk])
    client.post(advance, {"to": "acknowledged"})  # not sent yet: refused
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    for to in ("sent", "acknowledged", "seen", "result_received"):
        client.post(advance, {"to": to, "via": "faxed"})
        referral.refresh_from_db()
        assert referral.status == to
    html = client.post(advance, {"to": "sent", "via": "faxed"}, follow=True).content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RESULT_RECEIVED
    assert "cannot become sent" in html


def test_overdue_referrals_are_on_the_dashboard(therapist_client) -> None:  # type: ignore[no-untyped-def]
    client, request = therapist_client
    late = Referral.objects.create(
        intake=request.intake,
        destination=ReferralDestination.IMAGING,
        reason="X-ray",
        created_by=staff_user(THERAPIST),
        contact=contact(),
        status=ReferralStatus.SENT,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    Referral.objects.create(
        intake=request.intake,
        destination=ReferralDestination.IMAGING,
        reason="X-ray",
        created_by=late.created_by,
        status=ReferralStatus.RESULT_RECEIVED,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    html = client.get(reverse("admin:index")).content.decode()
    assert "Referrals overdue (1)" in html
    assert "Dr Mira Osei" in html


def test_the_author_of_an_overdue_referral_is_reminded_once_a_day_without_clinical_detail(
    therapist_client,  # type: ignore[no-untyped-def]
) -> None:
    from intake.announcements import NotificationKind, notifications_remind_overdue_referrals
    from notifications.delivery import render_email
    from notifications.models import Notification

    _client, request = therapist_client
    author = staff_user(THERAPIST, email="author@clinic.example")
    Referral.objects.create(
        intake=request.intake,
        destination=ReferralDestination.ORTHOPAEDIC_SURGEON,
        reason="Locked knee after a twist.",
        created_by=author,
        contact=contact(),
        status=ReferralStatus.SENT,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    assert len(notifications_remind_overdue_referrals()) == 1
    assert notifications_remind_overdue_referrals() == []  # not twice the same day
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert len(notifications_remind_overdue_referrals(today=tomorrow)) == 1
    message = Notification.objects.filter(kind=NotificationKind.REFERRAL_OVERDUE).first()
    assert message.recipient == "author@clinic.example"
    email = render_email(message)
    assert request.reference in email.subject
    text = f"{email.subject} {email.text} {email.html}".lower()
    # ("knee" is in the clinic's name, so it is not a sign of clinical detail here.)
    for clinical in ("locked", "twist", "orthopaedic", "osei"):
        assert clinical not in text, clinical
