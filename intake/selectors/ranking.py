"""An intake's stored pre-screen ranking, read back for the staff pages.

The stored result is the `prescreen` command's JSON as it was when the intake was screened.
Results stored before reasons carried points have only the reasons' texts: those come back
with no points and nothing marked decisive, never with made-up figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conditions.categories import Category


@dataclass(frozen=True)
class StoredReason:
    text: str
    points: float | None = None
    decisive: bool = False


@dataclass(frozen=True)
class StoredCategory:
    code: str
    name: str
    score: float
    points: float | None
    reasons: list[StoredReason]


def stored_ranking(prescreen: Mapping[str, Any]) -> list[StoredCategory]:
    """The ranked categories of a stored pre-screen result, highest score first."""
    names = dict(Category.choices)
    ranking = []
    for entry in prescreen.get("categories", []):
        if "evidence" in entry:
            reasons = [
                StoredReason(item["reason"], item["points"], item["decisive"])
                for item in entry["evidence"]
            ]
        else:
            reasons = [StoredReason(text) for text in entry["reasons"]]
        ranking.append(
            StoredCategory(
                code=entry["code"],
                name=names.get(entry["code"], entry["code"]),
                score=entry["score"],
                points=entry.get("points"),
                reasons=reasons,
            )
        )
    return ranking


def stored_category(prescreen: Mapping[str, Any], code: str) -> StoredCategory | None:
    """One category of a stored result (None when it was not ranked, or `code` is empty)."""
    return next((item for item in stored_ranking(prescreen) if item.code == code), None)
