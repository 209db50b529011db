from __future__ import annotations

import dataclasses

import pytest

from conditions.categories import Category
from conditions.predicates import includes, yes
from conditions.rules import ASKED_RED_FLAGS, Indicator, Ruleset
from conditions.rulesets import CURRENT, KNEE_V1, KNEE_V2, RULESETS, UnknownRuleset, ruleset_get

rulesets = pytest.mark.parametrize(
    "ruleset", RULESETS.values(), ids=lambda ruleset: ruleset.version
)


@rulesets
def test_every_category_has_indicators(ruleset: Ruleset) -> None:
    assert set(ruleset.indicators) == set(Category)
    assert all(isinstance(code, Category) for code in ruleset.indicators)


@rulesets
def test_red_flag_codes_are_unique(ruleset: Ruleset) -> None:
    codes = [flag.code for flag in ruleset.asked_red_flags] + [
        derived.flag.code for derived in ruleset.derived_red_flags
    ]
    assert len(codes) == len(set(codes))


@rulesets
def test_asked_red_flags_are_the_rf_items_and_derived_ones_are_not(ruleset: Ruleset) -> None:
    assert all(flag.code.startswith("rf_") for flag in ruleset.asked_red_flags)
    assert not any(derived.flag.code.startswith("rf_") for derived in ruleset.derived_red_flags)


@rulesets
def test_every_indicator_has_a_weight_and_a_reason(ruleset: Ruleset) -> None:
    for indicators in ruleset.indicators.values():
        for indicator in indicators:
            assert indicator.weight != 0
            assert indicator.reason.strip()


@rulesets
def test_evidence_against_says_so(ruleset: Ruleset) -> None:
    for indicators in ruleset.indicators.values():
        for indicator in indicators:
            assert (indicator.weight < 0) == indicator.reason.startswith("Against:")


def test_both_rulesets_ask_the_questionnaires_safety_check() -> None:
    assert KNEE_V1.asked_red_flags == KNEE_V2.asked_red_flags == ASKED_RED_FLAGS
    assert KNEE_V1.questionnaire == KNEE_V2.questionnaire == "knee-v1"


def test_new_submissions_use_knee_v2_and_knee_v1_stays_available() -> None:
    assert CURRENT is KNEE_V2
    assert ruleset_get("knee-v1") is KNEE_V1
    assert ruleset_get("knee-v2") is KNEE_V2


def test_an_unknown_ruleset_names_the_known_ones() -> None:
    with pytest.raises(UnknownRuleset, match=r"'knee-v9'.*knee-v1, knee-v2"):
        ruleset_get("knee-v9")


def _with_indicator(indicator: Indicator, words: dict[str, dict[str, str]] | None = None) -> None:
    indicators = dict(KNEE_V2.indicators)
    indicators[Category.GAIT] = (*indicators[Category.GAIT], indicator)
    dataclasses.replace(
        KNEE_V2, version="test", indicators=indicators, words=words or dict(KNEE_V2.words)
    )


def test_a_reason_may_name_only_an_answer_its_condition_reads() -> None:
    with pytest.raises(ValueError, match="names aggravators, which it does not read"):
        _with_indicator(Indicator(0.3, yes("gait_changed"), "Limps when {aggravators}."))


def test_a_reason_cannot_name_a_yes_or_no_answer() -> None:
    with pytest.raises(ValueError, match="names gait_changed"):
        _with_indicator(Indicator(0.3, yes("gait_changed"), "Changed gait: {gait_changed}."))


def test_every_code_a_reason_names_needs_words() -> None:
    words = {name: dict(said) for name, said in KNEE_V2.words.items()}
    del words["aggravators"]["downhill"]
    with pytest.raises(ValueError, match=r"no words for aggravators \['downhill'\]"):
        _with_indicator(
            Indicator(0.3, includes("aggravators", "downhill"), "Hurts {aggravators}."), words
        )


def test_weights_are_in_hundredths_of_a_point() -> None:
    with pytest.raises(ValueError, match="hundredths"):
        _with_indicator(Indicator(0.125, yes("gait_changed"), "Limps."))


def test_a_ruleset_needs_all_seven_categories() -> None:
    indicators: dict[Category, tuple[Indicator, ...]] = {
        code: items for code, items in KNEE_V2.indicators.items() if code != Category.GAIT
    }
    with pytest.raises(ValueError, match="every category"):
        dataclasses.replace(KNEE_V2, version="test", indicators=indicators)
