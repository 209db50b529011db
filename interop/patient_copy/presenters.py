"""The patient's record as a printable page, in their words: the questions as they were
asked and the answers as they chose them, from the one declaration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext, gettext_noop

from conditions.categories import Category, Triage
from intake.models import Intake
from intake.questionnaire import questionnaire
from interop.patient_copy.record import PatientRecord

# The taxonomy's names (conditions.categories, in English there) as the patient reads them:
# gettext_noop puts them in interop's catalogue for the patient's language.
PATIENT_WORDING = (
    gettext_noop("Routine"),
    gettext_noop("Urgent: seen by a doctor within days"),
    gettext_noop("Emergency: same-day medical care"),
    gettext_noop("Unusual gait"),
    gettext_noop("Runner's knee (patellofemoral pain)"),
    gettext_noop("Damaged tendons or ligaments"),
    gettext_noop("Damaged cartilage (including meniscus)"),
    gettext_noop("Bursitis"),
    gettext_noop("Arthritis (osteoarthritis)"),
    gettext_noop("Anatomical differences"),
)


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Reviewed:
    by: str
    on: datetime


@dataclass(frozen=True)
class IntakeSection:
    submitted_at: datetime
    answers: list[Line]
    triage: str
    red_flags: list[str]
    categories: list[str]
    reviews: list[Reviewed] = field(default_factory=list)


@dataclass(frozen=True)
class RecordPage:
    intakes: list[IntakeSection]
    referrals: list[Line]


def _unique_intakes(record: PatientRecord) -> list[Intake]:
    return list({intake.pk: intake for intake in record.intakes}.values())


def _intake_section(record: PatientRecord, intake: Intake) -> IntakeSection:
    declaration = questionnaire(intake.questionnaire_version)
    answers = [
        Line(str(item.text), str(item.answer_text(intake.answers[item.link_id])))
        for item in declaration.items
        if item.link_id in intake.answers
    ]
    prescreen = intake.prescreen
    reviews = [
        Reviewed(
            review.reviewer.get_full_name() or review.reviewer.get_username(), review.created_at
        )
        for review in record.reviews
        if review.intake_id == intake.pk
    ]
    return IntakeSection(
        submitted_at=intake.submitted_at,
        answers=answers,
        triage=gettext(Triage(intake.triage).label),
        red_flags=[flag["reason"] for flag in prescreen.get("red_flags", [])],
        categories=[
            gettext(Category(category["code"]).label)
            for category in prescreen.get("categories", [])
            if category["score"] > 0
        ],
        reviews=reviews,
    )


def record_page(record: PatientRecord) -> RecordPage:
    return RecordPage(
        intakes=[_intake_section(record, intake) for intake in _unique_intakes(record)],
        referrals=[
            Line(str(referral.get_destination_display()), referral.reason)
            for referral in {one.pk: one for one in record.referrals}.values()
        ],
    )
