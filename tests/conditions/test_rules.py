from __future__ import annotations

from conditions.categories import Category
from conditions.rules import ASKED_RED_FLAGS, DERIVED_RED_FLAGS, INDICATORS


def test_every_category_has_indicators() -> None:
    assert set(INDICATORS) == set(Category)
    assert all(isinstance(code, Category) for code in INDICATORS)


def test_red_flag_codes_are_unique() -> None:
    codes = [flag.code for flag in ASKED_RED_FLAGS] + [d.flag.code for d in DERIVED_RED_FLAGS]
    assert len(codes) == len(set(codes))


def test_asked_red_flags_are_the_rf_items_and_derived_ones_are_not() -> None:
    assert all(flag.code.startswith("rf_") for flag in ASKED_RED_FLAGS)
    assert not any(derived.flag.code.startswith("rf_") for derived in DERIVED_RED_FLAGS)


def test_every_indicator_has_a_weight_and_a_reason() -> None:
    for indicators in INDICATORS.values():
        for indicator in indicators:
            assert indicator.weight != 0
            assert indicator.reason.strip()


def test_evidence_against_says_so() -> None:
    for indicators in INDICATORS.values():
        for indicator in indicators:
            assert (indicator.weight < 0) == indicator.reason.startswith("Against:")
