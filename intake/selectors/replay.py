"""Replay a candidate pre-screen ruleset over the stored intakes before it is released.

Reads every stored intake (in chunks, only the columns the screen needs), screens its stored
answers with the candidate, and compares with the baseline: the result stored with the
intake (what the patient was screened with), or another ruleset run over the same answers.
The report says how triage and the top category would change, which intakes a candidate
would triage lower (a release blocker), and how often each agrees with the category the
therapists chose in their reviews.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from conditions.categories import Triage
from conditions.prescreen import prescreen
from conditions.rules import Ruleset
from intake.models import AppointmentRequest, Intake, Review

CHUNK_SIZE = 2000
STORED = "stored"  # the baseline when none is given: each intake's stored result


@dataclass(frozen=True)
class Lowered:
    """An intake the candidate would triage lower than the baseline did."""

    intake_id: int
    reference: str
    old: Triage
    new: Triage


@dataclass
class ReplayReport:
    candidate: str
    baseline: str
    since: datetime | None
    screened: int = 0
    # Stored intakes of another questionnaire version, which the candidate cannot read.
    skipped: Counter[str] = field(default_factory=Counter)
    # The ruleset each screened intake was stored with.
    stored_rulesets: Counter[str] = field(default_factory=Counter)
    # (baseline triage, candidate triage) -> intakes.
    triage: Counter[tuple[Triage, Triage]] = field(default_factory=Counter)
    lowered: list[Lowered] = field(default_factory=list)
    # (baseline top, candidate top) -> intakes, for the intakes whose top changes ("" = none).
    top_changes: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Therapists' reviews of the screened intakes, and how many name each one's top category.
    reviews: int = 0
    agreed_baseline: int = 0
    agreed_candidate: int = 0

    @property
    def raised(self) -> int:
        return sum(n for (old, new), n in self.triage.items() if new > old)

    @property
    def top_changed(self) -> int:
        return sum(self.top_changes.values())


def prescreen_replay(
    *,
    candidate: Ruleset,
    baseline: Ruleset | None = None,
    since: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ReplayReport:
    """Screen every stored intake submitted since `since` (all when None) with `candidate`
    and compare with `baseline` (each intake's stored result when None)."""
    report = ReplayReport(
        candidate=candidate.version,
        baseline=baseline.version if baseline else STORED,
        since=since,
    )
    intakes = Intake.objects.order_by("pk")
    if since is not None:
        intakes = intakes.filter(submitted_at__gte=since)
    # The category each therapist chose, per intake; reviews are far fewer than screens.
    reviewed: defaultdict[int, list[str]] = defaultdict(list)
    reviews = Review.objects.filter(intake__in=intakes.values("pk"))
    for intake_id, category in reviews.values_list("intake_id", "category").iterator(chunk_size):
        reviewed[intake_id].append(category)

    lowered: list[tuple[int, Triage, Triage]] = []
    rows = intakes.values_list(
        "pk",
        "questionnaire_version",
        "answers",
        "age_at_submission",
        "ruleset_version",
        "triage",
        "top_category",
    )
    for pk, questionnaire, answers, age, stored_ruleset, triage, top in rows.iterator(chunk_size):
        if questionnaire != candidate.questionnaire:
            report.skipped[questionnaire] += 1
            continue
        report.screened += 1
        report.stored_rulesets[stored_ruleset] += 1
        new = prescreen(answers, age, candidate)
        if baseline is not None:
            old = prescreen(answers, age, baseline)
            triage, top = old.triage, old.top_category or ""
        old_triage, new_top = Triage(triage), new.top_category or ""
        report.triage[old_triage, new.triage] += 1
        if new.triage < old_triage:
            lowered.append((pk, old_triage, new.triage))
        if new_top != top:
            report.top_changes[top, new_top] += 1
        for category in reviewed.get(pk, ()):
            report.reviews += 1
            report.agreed_baseline += category == top
            report.agreed_candidate += category == new_top

    references = dict(
        AppointmentRequest.objects.filter(intake_id__in=[pk for pk, _, _ in lowered]).values_list(
            "intake_id", "reference"
        )
    )
    report.lowered = [
        Lowered(pk, references.get(pk, f"intake {pk}"), old, new) for pk, old, new in lowered
    ]
    return report
