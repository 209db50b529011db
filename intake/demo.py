"""Fake data for local runs and demos: never used in production.

Staff accounts in each role, the clinic's two sites, and fake patients whose intakes go
through the real submission service, spread over the categories and triage levels, with
requests in every status, therapists' reviews, and referrals of intakes with red flags.
"""

from __future__ import annotations

import os
import random
import struct
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from faker import Faker

from conditions.categories import Category, Triage
from conditions.models import ConditionCategory
from conditions.prescreen import prescreen
from conditions.rules import ASKED_RED_FLAGS
from intake.models import (
    AlertStatus,
    AppointmentRequest,
    ContactMethod,
    ContactOutcome,
    DocumentKind,
    Intake,
    Location,
    RedFlagAlert,
    Referral,
    ReferralDestination,
    RequestStatus,
    Review,
    Therapist,
    TimeOfDay,
)
from intake.questionnaire import KNEE_V1, Item, ItemType, validate
from intake.services.alerts import alert_acknowledge, alert_close, alert_record_contact
from intake.services.documents import document_add
from intake.services.referrals import referral_create
from intake.services.requests import (
    request_cancel,
    request_mark_contacted,
    request_mark_no_response,
)
from intake.services.reviews import review_record
from intake.services.submission import PatientDetails, RequestDetails, age_on, intake_submit
from notifications.models import Notification, NotificationStatus
from staff import roles

DEMO_LOCATIONS = [
    ("Riverside", "120 River Road, Springfield", "(555) 010-0101"),
    ("Northgate", "48 Northgate Avenue, Springfield", "(555) 010-0102"),
]

# username -> first name, last name, role, therapist specialties (category codes)
DEMO_STAFF: dict[str, tuple[str, str, str, tuple[str, ...] | None]] = {
    "demo-manager": ("Morgan", "Manager", roles.CLINIC_MANAGER, None),
    "demo-therapist": (
        "Theo",
        "Therapist",
        roles.THERAPIST,
        ("patellofemoral", "gait", "anatomical"),
    ),
    "demo-therapist2": (
        "Tamsin",
        "Taylor",
        roles.THERAPIST,
        ("tendon_ligament", "cartilage", "arthritis"),
    ),
    "demo-frontdesk": ("Frankie", "Frontdesk", roles.FRONT_DESK, None),
}
DEMO_WEEKS = 8  # intakes are spread over the dashboard chart's eight weeks
# Roughly what a running clinic sees: most intakes routine, a few needing a doctor.
TRIAGE_SHARE = {Triage.ROUTINE: 0.75, Triage.URGENT: 0.17, Triage.EMERGENCY: 0.08}
STATUS_WEIGHTS = {
    RequestStatus.NEW: 1,
    RequestStatus.CONTACTED: 2,
    RequestStatus.SCHEDULED: 4,
    RequestStatus.NO_RESPONSE: 1,
    RequestStatus.CANCELLED: 1,
    RequestStatus.COMPLETED: 4,
}
DEMO_REFERRALS = (
    ReferralDestination.PHYSICIAN,
    ReferralDestination.IMAGING,
    ReferralDestination.ORTHOPAEDIC_SURGEON,
)
# How long ago the story's intakes came in (see demo_intakes_ensure).
STORY_AGE_HOURS = {Triage.ROUTINE: 2.0, Triage.URGENT: 3.0, Triage.EMERGENCY: 0.05}
CANCEL_REASONS = (
    "Patient booked elsewhere",
    "Patient's pain settled",
    "Referred to a physician first",
)


def demo_locations_ensure() -> list[Location]:
    return [
        Location.objects.get_or_create(name=name, defaults={"address": address, "phone": phone})[0]
        for name, address, phone in DEMO_LOCATIONS
    ]


def demo_staff_missing() -> bool:
    users = get_user_model().objects.filter(username__in=DEMO_STAFF)
    return users.count() < len(DEMO_STAFF)


@transaction.atomic
def demo_staff_ensure(*, password: str) -> None:
    """Create or update the demo staff accounts, one role each, and give them `password`."""
    User = get_user_model()
    locations = demo_locations_ensure()
    for username, (first, last, role, specialties) in DEMO_STAFF.items():
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@clinic.example",
            },
        )
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        if specialties is not None:
            # The first demo therapist is on call, so urgent alerts reach a therapist too.
            therapist, _ = Therapist.objects.update_or_create(
                user=user, defaults={"on_call": username == "demo-therapist"}
            )
            therapist.locations.set(locations)
            therapist.specialties.set(ConditionCategory.objects.filter(code__in=specialties))


def demo_password_file() -> Path:
    """Where the demo staff's shared password is kept, for the banner, until it is reset."""
    return Path(settings.VAR_DIR) / "demo-staff-password"


def demo_password_store(password: str) -> Path:
    path = demo_password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by its owner alone (0600), even where the umask is lax.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(password + "\n")
    path.chmod(0o600)
    return path


def demo_password_read() -> str | None:
    """The stored password if it still signs every demo account in (a manager may have
    changed one since), else None."""
    path = demo_password_file()
    if not path.exists():
        return None
    password = path.read_text().strip()
    users = get_user_model().objects.filter(username__in=DEMO_STAFF)
    if len(users) < len(DEMO_STAFF) or not all(user.check_password(password) for user in users):
        return None
    return password


# --- Answers ---------------------------------------------------------------------------------


def random_value(item: Item, rng: random.Random) -> object:
    """A plausible answer of the item's type (red flags are set separately)."""
    match item.type:
        case ItemType.BOOLEAN:
            return False if item.red_flag else rng.random() < 0.35
        case ItemType.CHOICE:
            return rng.choice(item.codes)
        case ItemType.MULTI:
            return rng.sample(item.codes, rng.randint(1 if item.required else 0, 3))
        case ItemType.INTEGER:
            low = item.min_value or 0
            return rng.randint(low, min(item.max_value or low, 80))
        case ItemType.TEXT:
            return rng.choice(("", "Run a half marathon this spring.", "Hike with my kids."))
    raise ValueError(item.type)


def random_answers(rng: random.Random, *, triage: Triage) -> dict[str, Any]:
    """A valid answer set for questionnaire knee-v1 with (for urgent and emergency) one red
    flag of that level; walks the declaration so enable conditions always hold."""
    answers: dict[str, Any] = {}
    for item in KNEE_V1.items:
        if item.is_enabled(answers) and (item.required or rng.random() < 0.6):
            answers[item.link_id] = random_value(item, rng)
    if triage != Triage.ROUTINE:
        flag = rng.choice([flag for flag in ASKED_RED_FLAGS if flag.triage == triage])
        answers[flag.code] = True
    return answers


def answers_for(
    rng: random.Random, *, triage: Triage, age: int, seen: Counter[str]
) -> dict[str, Any]:
    """Answers with the wanted triage whose top category is the least seen so far."""
    best: tuple[int, dict[str, Any]] | None = None
    for _ in range(40):
        answers = random_answers(rng, triage=triage)
        result = prescreen(validate(answers, age), age)
        if result.triage != triage:  # a derived red flag raised it: try again
            continue
        rank = seen[result.top_category or ""]
        if best is None or rank < best[0]:
            best = (rank, answers)
        if rank == min(seen[category] for category in Category):
            break
    if best is None:
        raise RuntimeError(f"no {triage} answer set found")
    return best[1]


# --- Intakes, requests and reviews -----------------------------------------------------------


@transaction.atomic
def demo_intakes_ensure(*, count: int, seed: int | None = None) -> int:
    """Top the database up to `count` intakes of fake patients; returns how many were made.

    The intakes are backdated history, so their e-mails are recorded as sent long ago: the
    demo's mail folder then holds only what happens during the demo.
    """
    missing = count - Intake.objects.count()
    if missing <= 0:
        return 0
    already_recorded = set(Notification.objects.values_list("pk", flat=True))
    rng = random.Random(seed)  # noqa: S311 (fake data, not secrets)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    locations = demo_locations_ensure()
    therapists = list(Therapist.objects.select_related("user").prefetch_related("locations"))
    reviewers = [therapist.user for therapist in therapists]
    if not therapists:
        raise RuntimeError("Create the demo staff first: they review and see the patients.")
    now = timezone.now()
    seen: Counter[str] = Counter(dict.fromkeys([*Category.values, ""], 0))
    statuses_seen: Counter[str] = Counter()
    for n in range(missing):
        # Each triage level at least once, then as often as a clinic sees them.
        triage = (
            list(Triage)[n]
            if n < len(Triage)
            else rng.choices(list(TRIAGE_SHARE), weights=list(TRIAGE_SHARE.values()))[0]
        )
        # The first of each level tells the demo's story (the banner names them): a routine
        # request the front desk has not called yet, an urgent intake waiting for review,
        # an emergency whose alert nobody has acknowledged; the rest spread over the chart's
        # weeks, more of them recent.
        story_hours = STORY_AGE_HOURS.get(triage) if n < len(Triage) else None
        submitted = now - timedelta(
            hours=story_hours or rng.triangular(0.5, DEMO_WEEKS * 7 * 24, 24)
        )
        birth = fake.date_of_birth(minimum_age=16, maximum_age=75)
        age = age_on(birth, timezone.localdate(submitted))
        answers = answers_for(rng, triage=triage, age=age, seen=seen)
        first, last = fake.first_name(), fake.last_name()
        appointment_request = intake_submit(
            answers=answers,
            patient=PatientDetails(
                first_name=first,
                last_name=last,
                date_of_birth=birth,
                # example.com never delivers: demo mail can reach no real person.
                email=f"{first}.{last}.{n}@example.com".lower(),
                phone=f"(555) 01{rng.randint(0, 9)}-{rng.randint(0, 9999):04d}",
                preferred_contact=rng.choice(ContactMethod.values),
            ),
            request_details=RequestDetails(
                location=rng.choice(locations),
                preferred_times=rng.sample(TimeOfDay.values, rng.randint(1, 3)),
                payment=rng.choice(["insurance", "self_pay"]),
                insurance_provider="Acme Health",
                insurance_member_number=f"AH{rng.randint(100000, 999999)}",
            ),
            submission_token=uuid.uuid4(),
            now=submitted,
        )
        seen[appointment_request.intake.top_category] += 1
        if story_hours is not None:
            _story_documents(appointment_request, triage=triage)
        if story_hours is not None and triage == Triage.EMERGENCY:
            continue  # its alert stays unacknowledged and escalates during the demo
        _answer_alert(appointment_request, rng=rng, now=now, clinicians=reviewers)
        _progress(
            appointment_request,
            rng=rng,
            now=now,
            therapists=therapists,
            reviewers=reviewers,
            statuses_seen=statuses_seen,
        )
    # Before commit, so the delivery tasks published on commit find nothing left to send.
    Notification.objects.exclude(pk__in=already_recorded).update(
        status=NotificationStatus.SENT, sent_at=now
    )
    return missing


def _demo_pdf(line: str) -> bytes:
    """A one-page PDF with one line of text (its cross-reference offsets right)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({line}) Tj ET".encode()
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def _demo_png(width: int = 320, height: int = 200) -> bytes:
    """A plain light-blue picture, the size of a card photo's thumbnail."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + b"\xbf\xdb\xfe" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _story_documents(appointment_request: AppointmentRequest, *, triage: str) -> None:
    """What the banner's patients sent: the urgent one a referral letter (the therapist's to
    open), the routine one the front of their insurance card (the front desk's)."""
    if triage == Triage.URGENT:
        kind, upload = (
            DocumentKind.REFERRAL_LETTER,
            SimpleUploadedFile(
                "referral-letter.pdf", _demo_pdf("Please assess and treat. Dr Demo, Eastside.")
            ),
        )
    elif triage == Triage.ROUTINE:
        kind, upload = (
            DocumentKind.INSURANCE_FRONT,
            SimpleUploadedFile("insurance-card-front.png", _demo_png()),
        )
    else:
        return
    document_add(appointment_request=appointment_request, kind=kind, upload=upload)


def _answer_alert(
    appointment_request: AppointmentRequest,
    *,
    rng: random.Random,
    now: datetime,
    clinicians: list[Any],
) -> None:
    """A clinician acknowledged the history's red-flag alert within minutes (now and then
    much later), called the patient and closed it: the dashboard's time to acknowledge has
    figures, and no old alert escalates during the demo."""
    alert = getattr(appointment_request.intake, "alert", None)
    if alert is None:
        return
    minutes = rng.uniform(1, 12) if rng.random() < 0.85 else rng.uniform(15, 90)
    acknowledged = min(alert.raised_at + timedelta(minutes=minutes), now)
    clinician = rng.choice(clinicians)
    alert_acknowledge(alert=alert, user=clinician, now=acknowledged)
    called = acknowledged + timedelta(minutes=rng.uniform(2, 30))
    if called >= now:
        return
    outcome = rng.choice(list(ContactOutcome))
    alert_record_contact(alert=alert, user=clinician, outcome=outcome, now=called)
    if outcome != ContactOutcome.NOT_REACHED:
        alert_close(alert=alert, user=clinician, now=called + timedelta(minutes=5))


def _progress(
    appointment_request: AppointmentRequest,
    *,
    rng: random.Random,
    now: datetime,
    therapists: list[Therapist],
    reviewers: list[Any],
    statuses_seen: Counter[str],
) -> None:
    """Move the request and the intake along as staff would have, by their age."""
    intake = appointment_request.intake
    age_hours = (now - appointment_request.created_at).total_seconds() / 3600
    if age_hours > 20 and rng.random() < 0.85:
        reviewer = rng.choice(reviewers)
        agrees = bool(intake.top_category) and rng.random() < 0.75
        category = intake.top_category
        if not agrees:
            category = rng.choice([c for c in Category.values if c != intake.top_category])
        review = review_record(
            intake=intake,
            reviewer=reviewer,
            agrees=agrees,
            category=category,
            note="" if agrees else "The history fits this picture better on reading it.",
        )
        reviewed_at = appointment_request.created_at + timedelta(
            hours=rng.uniform(0.5, min(age_hours, 40))
        )
        Review.objects.filter(pk=review.pk).update(created_at=reviewed_at)
        Intake.objects.filter(pk=intake.pk).update(reviewed_at=reviewed_at, assigned_to=reviewer)
        if intake.triage != Triage.ROUTINE:
            # A red flag: the reviewing therapist refers the patient on, as the letter says.
            referral = referral_create(
                intake=intake,
                destination=rng.choice(DEMO_REFERRALS),
                reason="Red flag on the safety check; needs a doctor's assessment first.",
                created_by=reviewer,
            )
            Referral.objects.filter(pk=referral.pk).update(created_at=reviewed_at)
    elif rng.random() < 0.4:
        Intake.objects.filter(pk=intake.pk).update(assigned_to=rng.choice(reviewers))

    if age_hours < 30:
        return  # still new: some of these are over a business day old, as on a real board
    # Every status shows on the board, then roughly as often as a clinic sees them.
    unseen = [status for status in STATUS_WEIGHTS if not statuses_seen[status]]
    status = unseen[0] if unseen else rng.choices(*zip(*STATUS_WEIGHTS.items(), strict=True))[0]
    statuses_seen[status] += 1
    local_therapists = [t for t in therapists if appointment_request.location in t.locations.all()]
    if status in (RequestStatus.CONTACTED, RequestStatus.SCHEDULED):
        request_mark_contacted(appointment_request=appointment_request)
    if status == RequestStatus.NO_RESPONSE:
        request_mark_no_response(appointment_request=appointment_request)
    if status == RequestStatus.SCHEDULED and local_therapists:
        # Booked into a free time by the app that keeps the diary (named in settings:
        # intake does not import scheduling).
        import_string(settings.DEMO_BOOKING)(appointment_request=appointment_request, rng=rng)
    if status == RequestStatus.CANCELLED:
        request_cancel(appointment_request=appointment_request, reason=rng.choice(CANCEL_REASONS))
    if status == RequestStatus.COMPLETED and local_therapists:
        # A visit in the past: no service books the past, so the demo writes it directly.
        AppointmentRequest.objects.filter(pk=appointment_request.pk).update(
            status=RequestStatus.COMPLETED,
            scheduled_at=min(
                appointment_request.created_at + timedelta(days=rng.randint(2, 6)),
                now - timedelta(hours=2),
            ),
            scheduled_therapist=rng.choice(local_therapists),
        )


# --- What the banner names -------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """One thing worth opening in the demo, for one role."""

    role: str
    what: str
    path: str


def demo_highlights() -> list[Highlight]:
    """The newest alert nobody has acknowledged, intake waiting for review and request
    waiting for a call: whatever the database holds now, not what the seed made."""
    highlights = []
    alert = (
        RedFlagAlert.objects.filter(status=AlertStatus.RAISED)
        .select_related("intake__request")
        .order_by("-raised_at")
        .first()
    )
    if alert is not None:
        highlights.append(
            Highlight(
                roles.THERAPIST,
                f"{alert.intake.request.reference}, {alert.level}: nobody has acknowledged "
                "its alert yet",
                reverse("admin:intake_intake_change", args=[alert.intake_id]),
            )
        )
    waiting = (
        Intake.objects.filter(needs_review=True, reviewed_at=None)
        .exclude(alert__status=AlertStatus.RAISED)
        .select_related("request")
        .order_by("-submitted_at")
        .first()
    )
    if waiting is not None:
        highlights.append(
            Highlight(
                roles.THERAPIST,
                f"{waiting.request.reference}, flagged: waiting for a therapist's review",
                reverse("admin:intake_intake_change", args=[waiting.pk]),
            )
        )
    new = (
        AppointmentRequest.objects.filter(status=RequestStatus.NEW, intake__triage=Triage.ROUTINE)
        .order_by("-created_at")
        .first()
    )
    if new is not None:
        highlights.append(
            Highlight(
                roles.FRONT_DESK,
                f"{new.reference}, new: waiting for the front desk's call",
                reverse("admin:intake_appointmentrequest_change", args=[new.pk]),
            )
        )
    return highlights
