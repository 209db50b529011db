"""The pre-screen rulesets by version, and the one new submissions are screened with.

An intake stores the version it was screened with (`Intake.ruleset_version`) and keeps that
result; `manage.py prescreen_replay --ruleset VERSION` shows what a candidate would change
over the stored intakes before it becomes `CURRENT`.
"""

from __future__ import annotations

from conditions.rules import Ruleset
from conditions.rulesets.knee_v1 import KNEE_V1
from conditions.rulesets.knee_v2 import KNEE_V2

__all__ = ["CURRENT", "KNEE_V1", "KNEE_V2", "RULESETS", "UnknownRuleset", "ruleset_get"]

RULESETS: dict[str, Ruleset] = {ruleset.version: ruleset for ruleset in (KNEE_V1, KNEE_V2)}
CURRENT: Ruleset = KNEE_V2


class UnknownRuleset(LookupError):
    pass


def ruleset_get(version: str) -> Ruleset:
    """The ruleset called `version`; raises `UnknownRuleset` naming the known ones."""
    try:
        return RULESETS[version]
    except KeyError:
        known = ", ".join(sorted(RULESETS))
        raise UnknownRuleset(f"no ruleset {version!r} (known: {known})") from None
