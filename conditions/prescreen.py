"""The knee pre-screen: a pure function of validated answers and age, under a ruleset.

A triage aid for clinicians, not a diagnosis. Red flags decide the triage; the category
scores only rank the likely picture, with the reasons a therapist can check.

Scoring: each category adds the weights (evidence points) of its indicators that fire,
negative ones included, and maps the total to a score in [0, 1) with
``1 - exp(-points / SCORE_SCALE)`` (0 when the total is 0 or less). The curve rises steadily
and never saturates, so a stronger picture always ranks higher; a typical full picture
(about 2.5 points) scores about 0.8.

Reasons are listed strongest first (evidence for, then evidence against), each with its
points. In the top category the strongest reasons that on their own already outweigh the
runner-up's whole total are marked decisive: they carried the decision, and a therapist who
doubts them doubts the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter

from conditions.categories import Category, Triage
from conditions.compiler import SCORE_SCALE, CategoryScore, Screen, compile_ruleset
from conditions.reasons import Reason
from conditions.rules import RedFlag, Ruleset
from conditions.rulesets import CURRENT

# Below this the top category is too weakly supported to stand without a therapist's look
# (about 0.75 points: one moderate finding, no combination).
WEAK_SCORE = 0.4
# When the top two are this close, the ranking between them is not meaningful.
CLOSE_MARGIN = 0.1

__all__ = [
    "CLOSE_MARGIN",
    "SCORE_SCALE",
    "WEAK_SCORE",
    "CategoryScore",
    "PrescreenResult",
    "Reason",
    "RedFlag",
    "prescreen",
    "triage_of",
]


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
        """The JSON shape of the `prescreen` command contract, scores rounded to 2 decimals.

        Beyond the contract, each category adds its `points` and its `evidence`: the reasons
        again, in the same order, each with its points and whether it was decisive.
        """
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
                    "reasons": [reason.text for reason in item.reasons],
                    "points": round(item.points, 2),
                    "evidence": [
                        {
                            "reason": reason.text,
                            "points": round(reason.points, 2),
                            "decisive": index < item.decisive,
                        }
                        for index, reason in enumerate(item.reasons)
                    ],
                }
                for item in self.categories
            ],
        }


def triage_of(red_flags: Iterable[RedFlag]) -> Triage:
    """The most severe triage among `red_flags`; routine when there are none."""
    return max((flag.triage for flag in red_flags), default=Triage.ROUTINE)


def prescreen(
    answers: Mapping[str, object], age: int, ruleset: Ruleset = CURRENT
) -> PrescreenResult:
    """Screen one validated answer set for a patient aged `age`, by `ruleset` (the current
    one unless given).

    `answers` maps linkIds to values as `intake.questionnaire.validate` returns them; items
    that were not shown are absent. Returns the triage (the most severe red flag, else
    routine), every red flag raised, all seven categories scored with their reasons, and
    whether a therapist should review the ranking before relying on it.
    """
    screen = _SCREENS.get(ruleset) or _compiled(ruleset)
    red_flags, scores = screen(answers, age)
    # A stable sort, so ties keep the declaration order and the result is deterministic.
    scores.sort(key=_SCORE, reverse=True)
    top, runner_up = scores[0], scores[1]
    if decisive := _decisive(top, runner_up.points):
        scores[0] = CategoryScore(top.code, top.score, top.points, top.reasons, decisive)
    return PrescreenResult(
        ruleset=ruleset.version,
        triage=triage_of(red_flags) if red_flags else Triage.ROUTINE,
        red_flags=tuple(red_flags),
        categories=tuple(scores),
        needs_review=(
            bool(red_flags) or top.score < WEAK_SCORE or top.score - runner_up.score < CLOSE_MARGIN
        ),
    )


_SCREENS: dict[Ruleset, Screen] = {}
_SCORE = attrgetter("score")


def _compiled(ruleset: Ruleset) -> Screen:
    screen = _SCREENS[ruleset] = compile_ruleset(ruleset)
    return screen


def _decisive(top: CategoryScore, runner_up_points: float) -> int:
    """How many of the top's strongest reasons it takes to beat the runner-up's total alone;
    0 when the top does not beat it at all (a tie is won only by the category order)."""
    # In whole hundredths, as the points were added: in floating point 0.9 + 0.5 + 0.4
    # would beat a runner-up's 1.8.
    beaten = max(round(runner_up_points * 100), 0)
    if round(top.points * 100) <= beaten:
        return 0
    total = 0
    for count, reason in enumerate(top.reasons, start=1):
        if reason.points <= 0:
            break
        total += round(reason.points * 100)
        if total > beaten:
            return count
    return 0
