"""How the staff pages show things: badges, labels, and an intake's answers, ranking and knee
regions in the patient's words. Read-only; nothing here queries beyond what it is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html

from conditions.categories import Triage
from intake.models import (
    REFERRAL_MOVES,
    AppointmentRequest,
    Intake,
    RedFlagAlert,
    Referral,
    ReferralStatus,
    TimeOfDay,
)
from intake.questionnaire import KNEE_V1
from intake.selectors.ranking import StoredReason, stored_ranking

STAFF_CSS = {"all": ["intake/admin/staff.css"]}
# Staff read the patient's answers in the site's own language (English), whatever language the
# patient answered in or a staff member's browser asks for.
STAFF_LANGUAGE = settings.LANGUAGE_CODE


def triage_badge(triage: str) -> str:
    """The triage as a badge: a class for the colour and the word itself, never colour only."""
    level = Triage(triage)
    return format_html(
        '<span class="triage-badge triage-{}" title="{}">{}</span>',
        level.value,
        level.label,
        level.value.capitalize(),
    )


def alert_badge(alert: RedFlagAlert) -> str:
    """A red-flag alert's status as a badge (a word, coloured by status)."""
    return format_html(
        '<span class="status-badge alert-{}">{}</span>', alert.status, alert.get_status_display()
    )


def appointment_label(appointment_request: AppointmentRequest) -> str:
    """“Tue 1 Dec, 9:30 with Theo Therapist” for messages to staff."""
    if appointment_request.scheduled_at is None:
        return ""
    when = formats.date_format(timezone.localtime(appointment_request.scheduled_at), "D j M, G:i")
    return f"{when} with {appointment_request.scheduled_therapist}"


def preferred_times(appointment_request: AppointmentRequest) -> str:
    """“Morning, Evening”: when the patient can come ("Any" when they did not say)."""
    labels = dict(TimeOfDay.choices)
    return (
        ", ".join(str(labels.get(code, code)) for code in appointment_request.preferred_times)
        or "Any"
    )


@dataclass(frozen=True)
class AnswerLine:
    question: str
    answer: str
    raises_red_flag: bool = False


@dataclass(frozen=True)
class AnswerSection:
    title: str
    answers: list[AnswerLine]


@dataclass(frozen=True)
class RankedCategory:
    code: str
    name: str
    score: float
    points: float | None  # None for results stored before reasons carried points
    reasons: list[StoredReason]
    is_top: bool


def intake_answer_sections(intake: Intake) -> list[AnswerSection]:
    """The answers grouped by form step, in the questionnaire's order and wording."""
    questionnaire = KNEE_V1  # the only version so far; a new one gets a lookup by version
    sections = []
    for step in questionnaire.steps:
        lines = [
            AnswerLine(
                item.text.in_language(STAFF_LANGUAGE),
                item.answer_text(intake.answers[item.link_id], STAFF_LANGUAGE),
                raises_red_flag=item.red_flag is not None and intake.answers[item.link_id] is True,
            )
            for item in questionnaire.items_in(step)
            if item.link_id in intake.answers
        ]
        if lines:
            sections.append(AnswerSection(step.title.in_language(STAFF_LANGUAGE), lines))
    return sections


def intake_ranked_categories(intake: Intake) -> list[RankedCategory]:
    """The stored pre-screen ranking with the reasons (strongest first, with their points and
    the decisive ones marked when the result has them), highest score first."""
    return [
        RankedCategory(
            code=category.code,
            name=category.name,
            score=category.score,
            points=category.points,
            reasons=category.reasons,
            is_top=category.code == intake.top_category,
        )
        for category in stored_ranking(intake.prescreen)
    ]


def intake_pain_regions(intake: Intake) -> list[tuple[str, str]]:
    """The knee regions the patient chose, as (code, patient wording)."""
    item = KNEE_V1.by_link_id["pain_location"]
    return [
        (code, item.option_text(code, STAFF_LANGUAGE))
        for code in intake.answers.get("pain_location", [])
    ]


def red_flag_label(code: str) -> str:
    """A short label for a red-flag code, for list columns (`rf_locked` -> `Locked`)."""
    return code.removeprefix("rf_").replace("_", " ").capitalize()


@dataclass(frozen=True)
class RequestSummary:
    """What the therapist's intake page says about the patient's request and how to reach
    them (the URGENT e-mail says "contact the patient now")."""

    request_id: int
    patient_id: int
    status: str
    appointment: str
    phone: str
    email: str
    preferred_contact: str
    preferred_language: str
    referral_source: str
    referrer: str
    notes: str


def appointment_request_summary(intake: Intake) -> RequestSummary:
    request, patient = intake.request, intake.patient
    referrer = ", ".join(
        part for part in (request.referrer_name, request.referrer_practice) if part
    )
    return RequestSummary(
        request_id=request.pk,
        patient_id=patient.pk,
        status=request.get_status_display(),
        appointment=appointment_label(request),
        phone=patient.phone,
        email=patient.email,
        preferred_contact=patient.get_preferred_contact_display(),
        preferred_language=patient.get_preferred_language_display(),
        referral_source=request.get_referral_source_display() if request.referral_source else "",
        referrer=referrer,
        notes=request.notes,
    )


def intake_knee(intake: Intake) -> str:
    """Which knee, in the letter's words ("Left knee", "Both knees")."""
    side = intake.answers.get("side")
    side_item = KNEE_V1.by_link_id["side"]
    return side_item.option_text(side, STAFF_LANGUAGE) if side else "Knee (side not given)"


def signature(user: Any) -> tuple[str, str]:
    """The author's name and credentials for a letter's signature."""
    therapist = getattr(user, "therapist", None)
    credentials = therapist.credentials if therapist is not None else ""
    return (user.get_full_name() or user.get_username(), credentials)


def referral_rows(referrals: Any) -> list[tuple[Referral, list[tuple[str, str]]]]:
    """Each referral with the moves it may make next (value, label), in lifecycle order."""
    order = list(ReferralStatus)
    return [
        (
            referral,
            [
                (status.value, status.label)
                for status in order
                if status in REFERRAL_MOVES[referral.status]
            ],
        )
        for referral in referrals
    ]
