"""Queries for the staff side: the review queue, the request board and the dashboard.

Each list query joins what its page shows (`select_related`), so a page costs the same
number of queries whatever its length.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import TruncWeek
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.models import AppointmentRequest, Intake, RequestStatus, Review, triage_rank
from intake.questionnaire import KNEE_V1

# Most severe first, then oldest; the expression matches the index intake_queue_order.
REVIEW_QUEUE_ORDER = (triage_rank().asc(), "submitted_at", "pk")
REQUEST_BOARD_ORDER = ("created_at", "pk")
# Requests the front desk still has to act on.
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.NO_RESPONSE)
CHART_WEEKS = 8


def review_queue() -> QuerySet[Intake]:
    """Intakes for therapists: emergency, then urgent, then routine; oldest first within.

    The answers and the stored pre-screen are large JSON documents: the list reads only the
    knee side and the red flags out of them (`side_answer`, `red_flag_list`), and a page
    showing one intake loads the rest when it reads them."""
    return (
        Intake.objects.select_related("patient", "request__location", "assigned_to")
        .defer("answers", "prescreen")
        .annotate(
            triage_rank=triage_rank(),  # lets a list column sort by it
            side_answer=KT("answers__side"),
            red_flag_list=KeyTransform("red_flags", "prescreen"),
        )
        .order_by(*REVIEW_QUEUE_ORDER)
    )


def request_board(*, with_triage: bool = False) -> QuerySet[AppointmentRequest]:
    """Appointment requests for the front desk, oldest first. No clinical columns unless
    `with_triage` (for clinical staff): then `intake_triage` too."""
    board = AppointmentRequest.objects.select_related(
        "patient", "location", "scheduled_therapist__user"
    ).order_by(*REQUEST_BOARD_ORDER)
    return board.annotate(intake_triage=F("intake__triage")) if with_triage else board


# A request reference as staff type it: with its dash, or without it but with a digit in it
# (an eight-letter word is more likely a name).
REFERENCE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}|(?=.*[0-9])[0-9A-Z]{8}")


def staff_search(
    queryset: QuerySet[Any], term: str, *, reference_field: str, patient_path: str
) -> QuerySet[Any]:
    """Narrow a staff list by what was typed: a request reference (any letter case), an
    e-mail address, or the start of the patient's names (every word must start the first or
    the last name). One kind at a time, so each search uses its own index."""
    term = term.strip()
    if not term:
        return queryset
    compact = term.upper().replace(" ", "")
    if REFERENCE.fullmatch(compact):
        reference = compact if "-" in compact else f"{compact[:4]}-{compact[4:]}"
        return queryset.filter(**{reference_field: reference})
    if "@" in term:
        return queryset.filter(**{f"{patient_path}email__iexact": term})
    for word in term.split():
        queryset = queryset.filter(
            Q(**{f"{patient_path}first_name__istartswith": word})
            | Q(**{f"{patient_path}last_name__istartswith": word})
        )
    return queryset


def business_day_before(moment: datetime) -> datetime:
    """`moment` less one business day (Monday to Friday; weekends do not count)."""
    local = timezone.localtime(moment)
    if local.weekday() >= 5:  # on a weekend the clock stopped at Friday midnight
        local = (local - timedelta(days=local.weekday() - 5)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    local -= timedelta(days=1)
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    return local


def request_is_overdue(request: AppointmentRequest, *, now: datetime | None = None) -> bool:
    """Still new after more than one business day."""
    cutoff = business_day_before(now or timezone.now())
    return request.status == RequestStatus.NEW and request.created_at < cutoff


# --- The intake page ---------------------------------------------------------------------------


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
    reasons: list[str]
    is_top: bool


def intake_answer_sections(intake: Intake) -> list[AnswerSection]:
    """The answers grouped by form step, in the questionnaire's order and wording."""
    questionnaire = KNEE_V1  # the only version so far; a new one gets a lookup by version
    sections = []
    for step in questionnaire.steps:
        lines = [
            AnswerLine(
                item.text,
                item.answer_text(intake.answers[item.link_id]),
                raises_red_flag=item.red_flag is not None and intake.answers[item.link_id] is True,
            )
            for item in questionnaire.items_in(step)
            if item.link_id in intake.answers
        ]
        if lines:
            sections.append(AnswerSection(step.title, lines))
    return sections


def intake_ranked_categories(intake: Intake) -> list[RankedCategory]:
    """The stored pre-screen ranking with the reasons, highest score first."""
    names = dict(Category.choices)
    return [
        RankedCategory(
            code=entry["code"],
            name=names.get(entry["code"], entry["code"]),
            score=entry["score"],
            reasons=list(entry["reasons"]),
            is_top=entry["code"] == intake.top_category,
        )
        for entry in intake.prescreen.get("categories", [])
    ]


def intake_pain_regions(intake: Intake) -> list[tuple[str, str]]:
    """The knee regions the patient chose, as (code, patient wording)."""
    item = KNEE_V1.by_link_id["pain_location"]
    return [(code, item.option_text(code)) for code in intake.answers.get("pain_location", [])]


def red_flag_label(code: str) -> str:
    """A short label for a red-flag code, for list columns (`rf_locked` -> `Locked`)."""
    return code.removeprefix("rf_").replace("_", " ").capitalize()


# --- Dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    agreed: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.agreed / self.total) if self.total else None


@dataclass(frozen=True)
class Agreement:
    overall: Rate
    by_category: list[tuple[str, Rate]]  # (category name, rate), in Category order


def prescreen_agreement(*, since: datetime | None = None) -> Agreement:
    """How often therapists agreed with the pre-screen's top category, overall and by the
    category the pre-screen chose. Every review counts; intakes it ranked nothing for do not."""
    reviews = Review.objects.exclude(prescreen_category="")
    if since is not None:
        reviews = reviews.filter(created_at__gte=since)
    rows = {
        row["prescreen_category"]: row
        for row in reviews.values("prescreen_category").annotate(
            total=Count("id"), agreed=Count("id", filter=Q(agrees=True))
        )
    }
    by_category = [
        (category.label, Rate(rows[category]["agreed"], rows[category]["total"]))
        for category in Category
        if category in rows
    ]
    return Agreement(
        overall=Rate(
            sum(rate.agreed for _, rate in by_category), sum(rate.total for _, rate in by_category)
        ),
        by_category=by_category,
    )


@dataclass(frozen=True)
class FrontDeskTiles:
    new_requests: int
    overdue_requests: int
    scheduled_today: int


@dataclass(frozen=True)
class WeekBar:
    week_start: datetime
    counts: list[tuple[str, str, int]]  # (category code, name, count)
    total: int


@dataclass(frozen=True)
class ClinicalTiles:
    unreviewed_urgent: int
    unreviewed_emergency: int
    median_review_hours: float | None
    reviews_this_week: int
    weeks: list[WeekBar]
    agreement: Agreement


def front_desk_tiles(*, now: datetime | None = None) -> FrontDeskTiles:
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = AppointmentRequest.objects.aggregate(
        new=Count("id", filter=Q(status=RequestStatus.NEW)),
        overdue=Count(
            "id", filter=Q(status=RequestStatus.NEW, created_at__lt=business_day_before(now))
        ),
        today=Count(
            "id",
            filter=Q(
                status=RequestStatus.SCHEDULED,
                scheduled_at__gte=today,
                scheduled_at__lt=today + timedelta(days=1),
            ),
        ),
    )
    return FrontDeskTiles(counts["new"], counts["overdue"], counts["today"])


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 (local time) of the week holding `moment`."""
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


def intakes_per_category_by_week(*, now: datetime | None = None) -> list[WeekBar]:
    """Intakes per top category in each of the last eight weeks (this week included)."""
    this_week = week_start(now or timezone.now())
    starts = [this_week - timedelta(weeks=n) for n in reversed(range(CHART_WEEKS))]
    rows = (
        Intake.objects.filter(submitted_at__gte=starts[0])
        .annotate(week=TruncWeek("submitted_at"))
        .values("week", "top_category")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[datetime, str], int] = {
        (timezone.localtime(row["week"]).date(), row["top_category"]): row["n"] for row in rows
    }
    categories = [*Category.choices, ("", "No category ranked")]
    weeks = []
    for start in starts:
        bars = [(code, name, counts.get((start.date(), code), 0)) for code, name in categories]
        weeks.append(WeekBar(start, bars, sum(n for _, _, n in bars)))
    return weeks


def clinical_tiles(*, now: datetime | None = None) -> ClinicalTiles:
    now = now or timezone.now()
    unreviewed = Intake.objects.filter(reviewed_at__isnull=True).aggregate(
        urgent=Count("id", filter=Q(triage=Triage.URGENT)),
        emergency=Count("id", filter=Q(triage=Triage.EMERGENCY)),
    )
    this_week = week_start(now)
    waits = [
        (reviewed - submitted).total_seconds() / 3600
        for submitted, reviewed in Intake.objects.filter(reviewed_at__gte=this_week).values_list(
            "submitted_at", "reviewed_at"
        )
    ]
    return ClinicalTiles(
        unreviewed_urgent=unreviewed["urgent"],
        unreviewed_emergency=unreviewed["emergency"],
        median_review_hours=round(statistics.median(waits), 1) if waits else None,
        reviews_this_week=len(waits),
        weeks=intakes_per_category_by_week(now=now),
        agreement=prescreen_agreement(),
    )
