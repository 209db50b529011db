from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

from conditions.predicates import Ref
from conditions.rules import ASKED_RED_FLAGS, Ruleset
from conditions.rulesets import RULESETS
from intake.questionnaire import KNEE_V1, SAFETY, AnswersInvalid, ItemType, validate
from tests.conditions.answers import (
    ages,
    answer_sets,
    baseline_answers,
    injury_answers,
    load_samples,
)


def problems(answers: object, age: object = 35) -> dict[str, list[str]]:
    with pytest.raises(AnswersInvalid) as raised:
        validate(answers, age)
    return raised.value.errors


# --- Valid answer sets ----------------------------------------------------------------------


def test_baseline_answers_are_valid() -> None:
    validated = validate(baseline_answers(), 35)
    assert validated.age == 35
    assert validated.version == "knee-v1"
    assert validated["pain_location"] == ("whole",)


def test_validated_answers_keep_the_declaration_order() -> None:
    answers = baseline_answers()
    shuffled = dict(reversed(answers.items()))
    order = [item.link_id for item in KNEE_V1.items if item.link_id in answers]
    assert list(validate(shuffled, 35)) == order


def test_validated_answers_are_read_only() -> None:
    validated = validate(baseline_answers(), 35)
    with pytest.raises(TypeError):
        validated["side"] = "left"  # type: ignore[index]


def test_validated_answers_store_as_json() -> None:
    validated = validate(baseline_answers(mechanical=["grinding"]), 35)
    assert json.loads(json.dumps(validated))["mechanical"] == ["grinding"]


@given(answer_sets(), ages)
def test_every_generated_answer_set_is_valid(answers: dict[str, object], age: int) -> None:
    validated = validate(answers, age)
    assert set(validated) == set(answers)


@pytest.mark.parametrize("case", load_samples(), ids=lambda case: case["id"])
def test_sample_cases_are_valid(case: dict[str, Any]) -> None:
    validate(case["answers"], case["age"])


def test_optional_items_may_be_left_out() -> None:
    answers = baseline_answers()
    for key in ("aggravators", "mechanical"):
        del answers[key]
    validate(answers, 35)


def test_an_optional_multi_may_be_empty() -> None:
    validate(baseline_answers(aggravators=[], mechanical=[]), 35)


def test_injury_follow_ups_are_accepted_after_an_injury() -> None:
    validate(injury_answers(duration="under_1_week", can_bend_90=True), 35)


@pytest.mark.parametrize("age", [0, 120])
def test_ages_at_the_limits_are_valid(age: int) -> None:
    assert validate(baseline_answers(), age).age == age


# --- What validation rejects ----------------------------------------------------------------


@pytest.mark.parametrize("answers", [None, [], "side=left", 3])
def test_answers_must_be_an_object(answers: object) -> None:
    assert list(problems(answers)) == ["answers"]


def test_rejects_an_unknown_link_id() -> None:
    assert list(problems(baseline_answers(sidee="left"))) == ["sidee"]


@pytest.mark.parametrize("value", ["yes", 1, 0, None])
def test_a_boolean_must_be_true_or_false(value: object) -> None:
    assert "true or false" in problems(baseline_answers(tender_lump=value))["tender_lump"][0]


@pytest.mark.parametrize("value", [True, False, 3.5, 3.0, "3", None])
def test_an_integer_must_be_a_whole_number(value: object) -> None:
    assert "whole number" in problems(baseline_answers(pain_now=value))["pain_now"][0]


@pytest.mark.parametrize("value", [-1, 11])
def test_an_integer_must_be_in_range(value: int) -> None:
    assert "out of range" in problems(baseline_answers(pain_now=value))["pain_now"][0]


def test_optional_integer_is_range_checked_too() -> None:
    assert "weekly_distance_km" in problems(baseline_answers(weekly_distance_km=301))


@pytest.mark.parametrize("value", ["middle", "LEFT", ["left"], None])
def test_a_choice_must_be_one_of_its_codes(value: object) -> None:
    message = problems(baseline_answers(side=value))["side"][0]
    assert "left, right, both" in message


@pytest.mark.parametrize("value", ["front", None, {"front": True}])
def test_a_multi_must_be_a_list(value: object) -> None:
    assert "list" in problems(baseline_answers(pain_location=value))["pain_location"][0]


def test_a_multi_rejects_unknown_codes() -> None:
    message = problems(baseline_answers(pain_location=["front", "ankle", 3]))["pain_location"][0]
    assert '"ankle", 3 are not among the answers' in message


def test_a_multi_rejects_a_repeated_code() -> None:
    message = problems(baseline_answers(pain_location=["front", "front"]))["pain_location"][0]
    assert "front repeated" in message


def test_a_required_multi_needs_at_least_one_code() -> None:
    assert problems(baseline_answers(pain_location=[])) == {
        "pain_location": ["Choose at least one answer."]
    }


def test_rejects_a_missing_required_item() -> None:
    answers = baseline_answers()
    del answers["rf_locked"]
    assert problems(answers) == {"rf_locked": ["Please answer this question."]}


def test_injury_follow_ups_are_required_after_an_injury() -> None:
    answers = injury_answers()
    del answers["felt_pop"]
    assert list(problems(answers)) == ["felt_pop"]


def test_bending_is_required_after_an_injury_this_week() -> None:
    assert list(problems(injury_answers(duration="under_1_week"))) == ["can_bend_90"]


def test_rejects_injury_follow_ups_without_an_injury() -> None:
    errors = problems(baseline_answers(felt_pop=True))
    assert list(errors) == ["felt_pop"]
    assert "(onset = injury)" in errors["felt_pop"][0]


def test_rejects_bending_when_the_injury_is_older_than_a_week() -> None:
    errors = problems(injury_answers(duration="1_to_6_weeks", can_bend_90=True))
    assert list(errors) == ["can_bend_90"]
    assert "(duration = under_1_week)" in errors["can_bend_90"][0]


def test_a_missing_onset_is_reported_without_blaming_its_follow_ups() -> None:
    answers = injury_answers()
    del answers["onset"]
    assert list(problems(answers)) == ["onset"]


def test_rejects_text_that_is_too_long() -> None:
    message = problems(baseline_answers(goal="a" * 1001))["goal"][0]
    assert "1,000 characters or fewer" in message


def test_accepts_text_at_the_limit() -> None:
    validate(baseline_answers(goal="a" * 1000), 35)


def test_text_must_be_a_string() -> None:
    assert list(problems(baseline_answers(goal=["run"]))) == ["goal"]


@pytest.mark.parametrize("age", [None, True, 34.5, "34", -1, 121])
def test_rejects_a_missing_or_impossible_age(age: object) -> None:
    errors = problems(baseline_answers(), age)
    assert list(errors) == ["age"]
    assert "0 to 120" in errors["age"][0]


def test_reports_every_problem_at_once() -> None:
    answers = baseline_answers(side="middle", pain_now=12, felt_pop=True, colour="red")
    del answers["swelling"]
    errors = problems(answers, age=130)
    assert set(errors) == {"age", "side", "pain_now", "felt_pop", "colour", "swelling"}


def test_the_error_text_names_each_item() -> None:
    with pytest.raises(AnswersInvalid) as raised:
        validate(baseline_answers(side="middle", pain_now=12), 35)
    assert str(raised.value).splitlines() == [
        'side: Choose one of the answers (left, right, both), not "middle".',
        "pain_now: 12 is out of range: enter a whole number from 0 to 10.",
    ]


# --- The declaration ------------------------------------------------------------------------


def test_link_ids_are_unique() -> None:
    link_ids = [item.link_id for item in KNEE_V1.items]
    assert len(link_ids) == len(set(link_ids))


def test_every_choice_item_has_unique_option_codes() -> None:
    for item in KNEE_V1.items:
        if item.type in (ItemType.CHOICE, ItemType.MULTI):
            assert item.codes, item.link_id
            assert len(item.codes) == len(set(item.codes)), item.link_id


def test_every_item_has_patient_wording_and_a_step_of_the_questionnaire() -> None:
    for item in KNEE_V1.items:
        assert item.text.en.strip(), item.link_id
        assert item.step in KNEE_V1.steps, item.link_id


def test_steps_follow_the_sections_in_order() -> None:
    assert [step.section for step in KNEE_V1.steps] == ["A", "B", "B"]
    shown = [item.step for item in KNEE_V1.items]
    assert shown == sorted(shown, key=KNEE_V1.steps.index)


def test_the_safety_check_asks_exactly_the_red_flags_of_the_rules() -> None:
    safety = KNEE_V1.items_in(SAFETY)
    assert [item.link_id for item in safety] == [flag.code for flag in ASKED_RED_FLAGS]
    for item in safety:
        assert item.type == ItemType.BOOLEAN
        assert item.required
        assert item.red_flag is not None
    assert all(item.red_flag is None for item in KNEE_V1.items if item.step != SAFETY)


def rule_refs() -> list[Ref]:
    """Every answer any ruleset for this questionnaire reads (each once)."""
    predicates = [
        predicate
        for ruleset in RULESETS.values()
        if ruleset.questionnaire == KNEE_V1.version
        for predicate in (
            *(derived.when for derived in ruleset.derived_red_flags),
            *(
                criterion.when
                for derived in ruleset.derived_red_flags
                for criterion in derived.criteria
            ),
            *(
                indicator.when
                for indicators in ruleset.indicators.values()
                for indicator in indicators
            ),
        )
    ]
    return list(dict.fromkeys(ref for predicate in predicates for ref in predicate.refs))


@pytest.mark.parametrize("ref", rule_refs(), ids=lambda ref: f"{ref.link_id}:{'|'.join(ref.codes)}")
def test_every_answer_a_rule_reads_is_declared(ref: Ref) -> None:
    item = KNEE_V1.by_link_id.get(ref.link_id)
    assert item is not None, f"no item {ref.link_id}"
    assert item.type == ref.kind
    assert set(ref.codes) <= set(item.codes)


@pytest.mark.parametrize("ruleset", RULESETS.values(), ids=lambda ruleset: ruleset.version)
def test_the_words_a_ruleset_names_answers_with_are_for_declared_codes(ruleset: Ruleset) -> None:
    for link_id, words in ruleset.words.items():
        item = KNEE_V1.by_link_id[link_id]
        assert set(words) <= set(item.codes), link_id
