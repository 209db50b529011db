"""The dashboard's figures: what each role's tiles show."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.calendar import business_day_before, week_start
from intake.models import (
    AppointmentRequest,
    Intake,
    Referral,
    ReferralStatus,
    RequestStatus,
    Review,
)
from intake.selectors.alerts import (
    AcknowledgementTimes,
    acknowledgement_times,
    unacknowledged_alert_count,
)
from intake.selectors.queue import waiting_for_review
from intake.selectors.ranking import StoredCategory, stored_category

CHART_WEEKS = 8
DISAGREEMENTS_SHOWN = 10  # the rest are in the reviews list, filtered to disagreements
NO_CATEGORY = "No category ranked"
OVERDUE_SHOWN = 20  # the rest are in the referrals list


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
class ReviewMatrix:
    """Every review counted by the pre-screen's top category (rows) against the category the
    therapist chose (columns): the diagonal is agreement, the rest says what to change."""

    rows: list[tuple[str, str]]  # (code, name); "" is the intakes it ranked nothing for
    columns: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]
    total: int

    @property
    def table(self) -> list[tuple[str, list[tuple[int, bool]]]]:
        """Each row's name and, per column, the count and whether it is agreement."""
        return [
            (
                name,
                [(self.counts.get((row, column), 0), row == column) for column, _ in self.columns],
            )
            for row, name in self.rows
        ]


def review_matrix(*, since: datetime | None = None) -> ReviewMatrix:
    reviews = Review.objects.all()
    if since is not None:
        reviews = reviews.filter(created_at__gte=since)
    counts = {
        (row["prescreen_category"], row["category"]): row["n"]
        for row in reviews.values("prescreen_category", "category").annotate(n=Count("id"))
    }
    columns = list(Category.choices)
    unranked = any(top == "" for top, _ in counts)
    return ReviewMatrix(
        rows=columns + ([("", NO_CATEGORY)] if unranked else []),
        columns=columns,
        counts=counts,
        total=sum(counts.values()),
    )


def agreement_by_therapist(*, since: datetime | None = None) -> list[tuple[str, Rate]]:
    """Each therapist's agreement with the pre-screen's top category, by name."""
    reviews = Review.objects.exclude(prescreen_category="")
    if since is not None:
        reviews = reviews.filter(created_at__gte=since)
    rows = (
        reviews.values(
            "reviewer", "reviewer__first_name", "reviewer__last_name", "reviewer__username"
        )
        .annotate(total=Count("id"), agreed=Count("id", filter=Q(agrees=True)))
        .order_by("reviewer__last_name", "reviewer__first_name", "reviewer__username")
    )
    return [
        (
            f"{row['reviewer__first_name']} {row['reviewer__last_name']}".strip()
            or row["reviewer__username"],
            Rate(row["agreed"], row["total"]),
        )
        for row in rows
    ]


def triage_agreement_by_therapist(*, since: datetime | None = None) -> list[tuple[str, Rate]]:
    """How often each therapist's own triage level matched the pre-screen's, by name; only
    reviews that recorded a level count."""
    reviews = Review.objects.exclude(triage="").exclude(prescreen_triage="")
    if since is not None:
        reviews = reviews.filter(created_at__gte=since)
    rows = (
        reviews.values(
            "reviewer", "reviewer__first_name", "reviewer__last_name", "reviewer__username"
        )
        .annotate(total=Count("id"), agreed=Count("id", filter=Q(triage=F("prescreen_triage"))))
        .order_by("reviewer__last_name", "reviewer__first_name", "reviewer__username")
    )
    return [
        (
            f"{row['reviewer__first_name']} {row['reviewer__last_name']}".strip()
            or row["reviewer__username"],
            Rate(row["agreed"], row["total"]),
        )
        for row in rows
    ]


def agreement_by_ruleset() -> list[tuple[str, Rate]]:
    """Agreement with the pre-screen's top category under each ruleset intakes were screened
    with: how a new ruleset does once it is live."""
    rows = (
        Review.objects.exclude(prescreen_category="")
        .values("intake__ruleset_version")
        .annotate(total=Count("id"), agreed=Count("id", filter=Q(agrees=True)))
        .order_by("intake__ruleset_version")
    )
    return [(row["intake__ruleset_version"], Rate(row["agreed"], row["total"])) for row in rows]


@dataclass(frozen=True)
class Disagreement:
    """A review that chose another category, with the reasons the pre-screen had for each."""

    intake_id: int
    reference: str
    reviewed_at: datetime
    reviewer: str
    ruleset: str
    note: str
    prescreen_name: str
    therapist_name: str
    # The pre-screen's top category and the therapist's, as stored with the intake: the
    # reasons that fired for each, with their points (None when it scored nothing there).
    prescreen_category: StoredCategory | None
    therapist_category: StoredCategory | None


def recent_disagreements(*, limit: int = DISAGREEMENTS_SHOWN) -> list[Disagreement]:
    """The latest reviews that disagreed with the pre-screen, newest first."""
    reviews = (
        Review.objects.filter(agrees=False)
        .select_related("intake__request", "reviewer")
        .only(
            "created_at",
            "category",
            "prescreen_category",
            "note",
            "intake__prescreen",
            "intake__ruleset_version",
            "intake__request__reference",
            "reviewer__first_name",
            "reviewer__last_name",
            "reviewer__username",
        )
        .order_by("-created_at", "-pk")[:limit]
    )
    names = dict(Category.choices)
    return [
        Disagreement(
            intake_id=review.intake_id,
            reference=review.intake.request.reference,
            reviewed_at=review.created_at,
            reviewer=review.reviewer.get_full_name() or review.reviewer.get_username(),
            ruleset=review.intake.ruleset_version,
            note=review.note,
            prescreen_name=names.get(review.prescreen_category, NO_CATEGORY),
            therapist_name=names[review.category],
            prescreen_category=stored_category(review.intake.prescreen, review.prescreen_category),
            therapist_category=stored_category(review.intake.prescreen, review.category),
        )
        for review in reviews
    ]


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


def overdue_referrals(*, today: date | None = None) -> QuerySet[Referral]:
    """Referrals sent and past their due date without a result back, oldest due first."""
    today = today or timezone.localdate()
    return (
        Referral.objects.filter(due_on__lt=today)
        .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.RESULT_RECEIVED])
        .select_related("intake__request", "contact", "created_by")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class ClinicalTiles:
    overdue_referrals: list[Referral]
    unreviewed_urgent: int
    unreviewed_emergency: int
    unacknowledged_alerts: int
    acknowledgement: AcknowledgementTimes
    median_review_hours: float | None
    reviews_this_week: int
    weeks: list[WeekBar]
    agreement: Agreement
    matrix: ReviewMatrix
    agreement_by_therapist: list[tuple[str, Rate]]
    triage_agreement_by_therapist: list[tuple[str, Rate]]
    agreement_by_ruleset: list[tuple[str, Rate]]
    disagreements: list[Disagreement]


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
    categories = [*Category.choices, ("", NO_CATEGORY)]
    weeks = []
    for start in starts:
        bars = [(code, name, counts.get((start.date(), code), 0)) for code, name in categories]
        weeks.append(WeekBar(start, bars, sum(n for _, _, n in bars)))
    return weeks


def clinical_tiles(*, now: datetime | None = None) -> ClinicalTiles:
    now = now or timezone.now()
    unreviewed = waiting_for_review(Intake.objects.all()).aggregate(
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
        overdue_referrals=list(overdue_referrals(today=timezone.localdate(now))[:OVERDUE_SHOWN]),
        unreviewed_urgent=unreviewed["urgent"],
        unreviewed_emergency=unreviewed["emergency"],
        unacknowledged_alerts=unacknowledged_alert_count(),
        acknowledgement=acknowledgement_times(now=now),
        median_review_hours=round(statistics.median(waits), 1) if waits else None,
        reviews_this_week=len(waits),
        weeks=intakes_per_category_by_week(now=now),
        agreement=prescreen_agreement(),
        matrix=review_matrix(),
        agreement_by_therapist=agreement_by_therapist(),
        triage_agreement_by_therapist=triage_agreement_by_therapist(),
        agreement_by_ruleset=agreement_by_ruleset(),
        disagreements=recent_disagreements(),
    )
