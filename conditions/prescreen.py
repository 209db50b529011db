"""The knee pre-screen: a pure function of validated answers and age.

A triage aid for clinicians, not a diagnosis. Red flags decide the triage; the category
scores only rank the likely picture, with the reasons a therapist can check.

Scoring: each category adds the weights (evidence points) of its indicators that fire,
negative ones included, and maps the total to a score in [0, 1) with
``1 - exp(-points / SCORE_SCALE)`` (0 when the total is 0 or less). The curve rises steadily
and never saturates, so a stronger picture always ranks higher; a typical full picture
(about 2.5 points) scores about 0.8.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import exp

from conditions.categories import Category, Triage
from conditions.rules import ASKED_RED_FLAGS, DERIVED_RED_FLAGS, INDICATORS, RULESET, RedFlag

# Points at which a score reaches 1 - 1/e (about 0.63).
SCORE_SCALE = 1.5
# Below this the top category is too weakly supported to stand without a therapist's look
# (about 0.75 points: one moderate finding, no combination).
WEAK_SCORE = 0.4
# When the top two are this close, the ranking between them is not meaningful.
CLOSE_MARGIN = 0.1

__all__ = [
    "CLOSE_MARGIN",
    "RULESET",
    "SCORE_SCALE",
    "WEAK_SCORE",
    "CategoryScore",
    "PrescreenResult",
    "RedFlag",
    "prescreen",
    "triage_of",
]


@dataclass(frozen=True, slots=True)
class CategoryScore:
    code: Category
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrescreenResult:
    ruleset: str
    triage: Triage
    red_flags: tuple[RedFlag, ...]
    # All seven categories, highest score first; equal scores keep the `Category` order.
    categories: tuple[CategoryScore, ...]
    needs_review: bool

    @property
    def top_category(self) -> Category | None:
        """The best-supported category, or None when no category has any support."""
        top = self.categories[0]
        return top.code if top.score > 0 else None

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the `prescreen` command contract, scores rounded to 2 decimals."""
        return {
            "ruleset": self.ruleset,
            "triage": self.triage.value,
            "needs_review": self.needs_review,
            "red_flags": [
                {"code": flag.code, "triage": flag.triage.value, "reason": flag.reason}
                for flag in self.red_flags
            ],
            "categories": [
                {
                    "code": item.code.value,
                    "score": round(item.score, 2),
                    "reasons": list(item.reasons),
                }
                for item in self.categories
            ],
        }


# The rules flattened once into plain tuples, so a screen only runs tests and adds numbers.
_ASKED = tuple((flag.code, flag) for flag in ASKED_RED_FLAGS)
_DERIVED = tuple((derived.when.test, derived.flag) for derived in DERIVED_RED_FLAGS)
_INDICATORS = tuple(
    (category, tuple((i.when.test, i.weight, i.reason) for i in INDICATORS[category]))
    for category in Category
)


def _score_of(item: CategoryScore) -> float:
    return item.score


def triage_of(red_flags: Iterable[RedFlag]) -> Triage:
    """The most severe triage among `red_flags`; routine when there are none."""
    return max((flag.triage for flag in red_flags), default=Triage.ROUTINE)


def prescreen(answers: Mapping[str, object], age: int) -> PrescreenResult:
    """Screen one validated answer set of questionnaire `knee-v1` for a patient aged `age`.

    `answers` maps linkIds to values as `intake.questionnaire.validate` returns them; items
    that were not shown are absent. Returns the triage (the most severe red flag, else
    routine), every red flag raised, all seven categories scored with their reasons, and
    whether a therapist should review the ranking before relying on it.
    """
    red_flags = [flag for code, flag in _ASKED if answers.get(code) is True]
    red_flags += [flag for test, flag in _DERIVED if test(answers, age)]
    triage = triage_of(red_flags)

    scores = []
    for category, indicators in _INDICATORS:
        points = 0.0
        reasons = []
        for test, weight, reason in indicators:
            if test(answers, age):
                points += weight
                reasons.append(reason)
        score = 1.0 - exp(-points / SCORE_SCALE) if points > 0 else 0.0
        scores.append(CategoryScore(category, score, tuple(reasons)))
    # A stable sort, so ties keep the declaration order and the result is deterministic.
    scores.sort(key=_score_of, reverse=True)

    top, runner_up = scores[0].score, scores[1].score
    return PrescreenResult(
        ruleset=RULESET,
        triage=triage,
        red_flags=tuple(red_flags),
        categories=tuple(scores),
        needs_review=bool(red_flags) or top < WEAK_SCORE or top - runner_up < CLOSE_MARGIN,
    )
