"""The compiled ruleset against the rules' own meaning: each predicate's `test`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from conditions.categories import Category
from conditions.compiler import compile_ruleset, score_of
from conditions.prescreen import prescreen
from conditions.rules import Ruleset
from conditions.rulesets import KNEE_V2, RULESETS
from tests.conditions.answers import ages, answer_sets, baseline_answers

rulesets = pytest.mark.parametrize(
    "ruleset", RULESETS.values(), ids=lambda ruleset: ruleset.version
)


def fired_weights(
    ruleset: Ruleset, answers: dict[str, object], age: int
) -> dict[Category, list[float]]:
    """Per category, the weights of the indicators whose condition holds, strongest first."""
    return {
        category: sorted(
            (i.weight for i in indicators if i.when.test(answers, age)),
            key=lambda weight: (weight < 0, -abs(weight)),
        )
        for category, indicators in ruleset.indicators.items()
    }


def raised_codes(ruleset: Ruleset, answers: dict[str, object], age: int) -> list[str]:
    asked = [flag.code for flag in ruleset.asked_red_flags if answers.get(flag.code) is True]
    derived = [
        derived.flag.code
        for derived in ruleset.derived_red_flags
        if derived.when.test(answers, age)
        and (not derived.criteria or any(c.when.test(answers, age) for c in derived.criteria))
    ]
    return asked + derived


@rulesets
@settings(max_examples=300)
@given(answers=answer_sets(), age=ages)
def test_the_compiled_rules_fire_exactly_where_their_conditions_hold(
    ruleset: Ruleset, answers: dict[str, object], age: int
) -> None:
    red_flags, scores = compile_ruleset(ruleset)(answers, age)
    assert [flag.code for flag in red_flags] == raised_codes(ruleset, answers, age)
    expected = fired_weights(ruleset, answers, age)
    assert [score.code for score in scores] == list(Category)
    for score in scores:
        assert [reason.points for reason in score.reasons] == expected[score.code]
        assert score.points == pytest.approx(sum(expected[score.code]))
        assert score.score == pytest.approx(score_of(score.points))


@rulesets
@settings(max_examples=300)
@given(answers=answer_sets(), age=ages)
def test_every_reason_is_written_out(
    ruleset: Ruleset, answers: dict[str, object], age: int
) -> None:
    result = prescreen(answers, age, ruleset)
    texts = [flag.reason for flag in result.red_flags] + [
        reason.text for item in result.categories for reason in item.reasons
    ]
    for text in texts:
        assert "{" not in text
        assert "}" not in text
        assert " and ." not in text
        assert "  " not in text


def test_a_multi_answer_stored_as_a_list_screens_like_the_validated_tuple() -> None:
    # Stored intakes come back from JSON with lists; validated answers hold tuples.
    answers = baseline_answers(pain_location=["front"], aggravators=["squatting", "stairs_down"])
    as_tuples = {
        key: tuple(value) if isinstance(value, list) else value for key, value in answers.items()
    }
    assert prescreen(answers, 30, KNEE_V2) == prescreen(as_tuples, 30, KNEE_V2)


def test_the_compiled_source_is_shown_in_its_docstring() -> None:
    screen = compile_ruleset(KNEE_V2)
    assert screen.__doc__ is not None
    assert "def screen(answers, age):" in screen.__doc__
