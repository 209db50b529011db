"""What a pre-screen ruleset is made of, and the red flags every ruleset asks.

A ruleset is data a therapist can read: red flags first (sensitivity matters more than
anything else, so each one routes on its own), then weighted indicators grouped under the
category they serve, each with the reason a therapist reads when it fires (a reason may name
the patient's answers: `conditions.reasons`). Rulesets are versioned (`conditions.rulesets`):
an intake keeps the version it was screened with, and a change to the rules is a new
`Ruleset`, never an edit of one that intakes were screened with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from conditions.categories import Category, Triage
from conditions.predicates import Predicate, Ref
from conditions.reasons import template_fields


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A reason to see a doctor before (or instead of) therapy, with how soon."""

    code: str
    triage: Triage
    reason: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """One of several findings, any of which completes a derived red flag (an Ottawa rule)."""

    when: Predicate
    text: str


@dataclass(frozen=True, slots=True)
class DerivedRedFlag:
    """A red flag computed from section B answers rather than asked directly.

    With `criteria`, the flag needs `when` and at least one criterion, and its reason names
    the criteria that fired in place of `{criteria}`.
    """

    flag: RedFlag
    when: Predicate
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True, slots=True)
class Indicator:
    """One weighted finding for a category, and the reason a therapist reads when it fires."""

    weight: float
    when: Predicate
    reason: str


# identity equality: a ruleset is one object, so it can key caches of its compiled form
@dataclass(frozen=True, eq=False)
class Ruleset:
    """One version of the pre-screen rules for one questionnaire version."""

    version: str
    questionnaire: str
    asked_red_flags: tuple[RedFlag, ...]
    derived_red_flags: tuple[DerivedRedFlag, ...]
    indicators: Mapping[Category, tuple[Indicator, ...]]
    # How a reason names an answer code: {link_id: {code: words}}.
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A reason that could not be written out would fail on a patient's submission:
        # refuse the ruleset when it is declared instead.
        if set(self.indicators) != set(Category):
            raise ValueError(f"{self.version}: every category needs its indicators")
        for indicators in self.indicators.values():
            for indicator in indicators:
                hundredths_of(indicator.weight)
                self._check_template(indicator.reason, indicator.when.refs)
        for derived in self.derived_red_flags:
            named = template_fields(derived.flag.reason)
            if named != (["criteria"] if derived.criteria else []):
                raise ValueError(
                    f"{self.version}: {derived.flag.code} names {{criteria}} if and only if it "
                    "has criteria"
                )
            for criterion in derived.criteria:
                self._check_template(criterion.text, criterion.when.refs)

    def _check_template(self, text: str, refs: tuple[Ref, ...]) -> None:
        for name in template_fields(text):
            if name == "age":
                continue
            kinds = {ref.kind for ref in refs if ref.link_id == name}
            if not kinds or kinds & {"boolean"}:
                raise ValueError(f"{self.version}: {text!r} names {name}, which it does not read")
            codes = {code for ref in refs if ref.link_id == name for code in ref.codes}
            missing = codes - set(self.words.get(name, {}))
            if missing:
                raise ValueError(f"{self.version}: no words for {name} {sorted(missing)}")


def hundredths_of(weight: float) -> int:
    """A weight in whole hundredths of a point: weights are given to two decimals, and the
    pre-screen adds them as integers so equal evidence ties exactly."""
    hundredths = round(weight * 100)
    if abs(hundredths - weight * 100) > 1e-6:
        raise ValueError(f"weight {weight} is not in hundredths of a point")
    return hundredths


# --- Red flags asked in questionnaire section A ------------------------------------------------

# The code is the item's linkId, and `true` raises the flag. Every ruleset of questionnaire
# knee-v1 asks these: the safety check is part of the questionnaire, not of a ruleset.
ASKED_RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "rf_fever_hot_knee",
        Triage.EMERGENCY,
        "Hot, red or swollen knee with fever, chills or feeling unwell: septic arthritis until "
        "proven otherwise; emergency assessment today.",
    ),
    RedFlag(
        "rf_hot_swollen_knee",
        Triage.URGENT,
        "Knee became hot and swollen over a few days without injury: treat as possible septic "
        "or crystal arthritis even without fever; medical review within a day.",
    ),
    RedFlag(
        "rf_cannot_bear_weight",
        Triage.EMERGENCY,
        "Cannot take four steps since an injury: possible fracture or knee dislocation; "
        "emergency department.",
    ),
    RedFlag(
        "rf_deformity",
        Triage.EMERGENCY,
        "Knee or kneecap looks out of place since an injury: possible dislocation or fracture; "
        "emergency department.",
    ),
    RedFlag(
        "rf_cannot_lift_straight_leg",
        Triage.EMERGENCY,
        "Cannot do a straight-leg raise since an injury: possible quadriceps or patellar tendon "
        "rupture; emergency department.",
    ),
    RedFlag(
        "rf_numb_cold_foot",
        Triage.EMERGENCY,
        "Numb, cold, pale or blue foot or lower leg: possible neurovascular compromise; "
        "emergency department.",
    ),
    RedFlag(
        "rf_calf_swelling",
        Triage.EMERGENCY,
        "Swollen, tender, warm or red calf: possible deep vein thrombosis; same-day medical "
        "assessment.",
    ),
    RedFlag(
        "rf_locked",
        Triage.URGENT,
        "Knee locked, cannot straighten fully: possible displaced meniscal tear; acute knee "
        "clinic within days (repair is only possible within about 6 to 8 weeks).",
    ),
    RedFlag(
        "rf_night_pain_weight_loss",
        Triage.URGENT,
        "Constant night pain not eased by painkillers, or unexplained weight loss: exclude "
        "serious pathology; doctor's review within days.",
    ),
)
