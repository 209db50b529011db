"""The dashboard's figures: what each role's tiles show."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.calendar import business_day_before, week_start
from intake.models import AppointmentRequest, Intake, RequestStatus, Review

CHART_WEEKS = 8


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
    counts: dict[tuple[date, str], int] = {
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
        if reviewed is not None
    ]
    return ClinicalTiles(
        unreviewed_urgent=unreviewed["urgent"],
        unreviewed_emergency=unreviewed["emergency"],
        median_review_hours=round(statistics.median(waits), 1) if waits else None,
        reviews_this_week=len(waits),
        weeks=intakes_per_category_by_week(now=now),
        agreement=prescreen_agreement(),
    )
