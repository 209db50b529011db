from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from conditions.categories import Category, Triage
from conditions.prescreen import CLOSE_MARGIN, WEAK_SCORE, prescreen
from conditions.rules import ASKED_RED_FLAGS, RedFlag, Ruleset
from conditions.rulesets import RULESETS
from tests.conditions.answers import (
    ages,
    answer_sets,
    baseline_answers,
    injury_answers,
    load_samples,
)


def red_flag_codes(answers: dict[str, Any], age: int = 35) -> list[str]:
    return [flag.code for flag in prescreen(answers, age).red_flags]


# --- Red flags and triage -------------------------------------------------------------------


def test_baseline_is_routine_without_red_flags() -> None:
    result = prescreen(baseline_answers(), 35)
    assert result.triage == Triage.ROUTINE
    assert result.red_flags == ()


@pytest.mark.parametrize("flag", ASKED_RED_FLAGS, ids=lambda flag: flag.code)
def test_each_asked_red_flag_alone_gives_its_triage(flag: RedFlag) -> None:
    result = prescreen(baseline_answers(**{flag.code: True}), 35)
    assert result.triage == flag.triage
    assert result.red_flags == (flag,)


def test_triage_is_the_most_severe_red_flag() -> None:
    answers = baseline_answers(rf_locked=True, rf_calf_swelling=True)
    assert prescreen(answers, 35).triage == Triage.EMERGENCY


def test_ottawa_applies_at_55_after_a_recent_injury() -> None:
    answers = injury_answers(duration="under_1_week", can_bend_90=True)
    result = prescreen(answers, 55)
    assert [flag.code for flag in result.red_flags] == ["ottawa_xray"]
    assert result.triage == Triage.URGENT


def test_ottawa_applies_when_the_knee_cannot_bend_to_90() -> None:
    answers = injury_answers(duration="under_1_week", can_bend_90=False)
    assert red_flag_codes(answers, 30) == ["ottawa_xray"]


def test_no_ottawa_at_54_when_the_knee_bends() -> None:
    answers = injury_answers(duration="under_1_week", can_bend_90=True)
    assert red_flag_codes(answers, 54) == []


def test_no_ottawa_when_the_injury_is_a_week_old_or_more() -> None:
    assert red_flag_codes(injury_answers(duration="1_to_6_weeks"), 70) == []


def test_no_ottawa_without_an_injury() -> None:
    assert red_flag_codes(baseline_answers(duration="under_1_week"), 70) == []


def test_swelling_within_two_hours_of_injury_is_haemarthrosis() -> None:
    answers = injury_answers(swelling_after_injury="within_2_hours")
    result = prescreen(answers, 30)
    assert [flag.code for flag in result.red_flags] == ["haemarthrosis"]
    assert result.triage == Triage.URGENT


def test_later_swelling_is_not_haemarthrosis() -> None:
    assert red_flag_codes(injury_answers(swelling_after_injury="later")) == []


@pytest.mark.parametrize("duration", ["under_1_week", "1_to_6_weeks"])
def test_a_recent_first_kneecap_dislocation_is_urgent(duration: str) -> None:
    answers = injury_answers(kneecap_dislocation="once", duration=duration)
    if duration == "under_1_week":
        answers["can_bend_90"] = True
    result = prescreen(answers, 30)
    assert [flag.code for flag in result.red_flags] == ["first_dislocation"]
    assert result.triage == Triage.URGENT


def test_repeated_dislocation_is_not_a_first_dislocation() -> None:
    assert red_flag_codes(injury_answers(kneecap_dislocation="more_than_once")) == []


def test_a_dislocation_without_a_recent_injury_is_not_a_first_dislocation() -> None:
    assert red_flag_codes(baseline_answers(kneecap_dislocation="once")) == []


def test_an_old_dislocation_injury_is_not_a_first_dislocation() -> None:
    answers = injury_answers(kneecap_dislocation="once", duration="over_3_months")
    assert red_flag_codes(answers) == []


# --- The clinicians' sample cases -----------------------------------------------------------


@pytest.mark.parametrize("ruleset", RULESETS.values(), ids=lambda ruleset: ruleset.version)
@pytest.mark.parametrize("case", load_samples(), ids=lambda case: case["id"])
def test_sample_case_gives_the_expected_triage_and_top_category(
    case: dict[str, Any], ruleset: Ruleset
) -> None:
    result = prescreen(case["answers"], case["age"], ruleset)
    assert result.triage == case["expect"]["triage"]
    if case["expect"]["top"] is not None:
        assert result.top_category in case["expect"]["top"]


# --- Properties over valid answer sets ------------------------------------------------------


@given(answer_sets(), ages)
def test_every_category_is_scored_once_in_order_of_score(
    answers: dict[str, object], age: int
) -> None:
    categories = prescreen(answers, age).categories
    assert sorted(item.code for item in categories) == sorted(Category)
    scores = [item.score for item in categories]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)


@given(answer_sets(), ages)
def test_the_prescreen_is_deterministic(answers: dict[str, object], age: int) -> None:
    assert prescreen(answers, age) == prescreen(dict(answers), age)


@given(answer_sets(), ages)
def test_adding_a_red_flag_never_lowers_the_triage(answers: dict[str, object], age: int) -> None:
    triage = prescreen(answers, age).triage
    for flag in ASKED_RED_FLAGS:
        assert prescreen({**answers, flag.code: True}, age).triage >= triage


@given(answer_sets(), ages)
def test_reasons_come_strongest_first_evidence_against_last(
    answers: dict[str, object], age: int
) -> None:
    for item in prescreen(answers, age).categories:
        points = [reason.points for reason in item.reasons]
        assert points == sorted(points, key=lambda p: (p < 0, -abs(p)))
        assert item.points == pytest.approx(sum(points))


@settings(max_examples=500)
@given(answer_sets(), ages)
def test_the_decisive_reasons_alone_outweigh_the_runner_up_and_no_fewer_would(
    answers: dict[str, object], age: int
) -> None:
    top, runner_up, *rest = prescreen(answers, age).categories
    assert all(item.decisive == 0 for item in (runner_up, *rest))
    # In hundredths of a point, as the pre-screen adds them (floating point would not tie).
    beaten = max(round(runner_up.points * 100), 0)
    if round(top.points * 100) <= beaten:
        assert top.decisive == 0
        return
    decisive = [round(reason.points * 100) for reason in top.decisive_reasons]
    assert decisive
    assert all(points > 0 for points in decisive)
    assert sum(decisive) > beaten
    assert sum(decisive[:-1]) <= beaten


@given(answer_sets(), ages)
def test_every_category_with_a_score_has_a_reason(answers: dict[str, object], age: int) -> None:
    for item in prescreen(answers, age).categories:
        assert item.score == 0 or item.reasons


@given(answer_sets(), ages)
def test_needs_review_on_a_red_flag_a_weak_top_or_a_close_runner_up(
    answers: dict[str, object], age: int
) -> None:
    result = prescreen(answers, age)
    top, runner_up = result.categories[:2]
    weak = top.score < WEAK_SCORE
    close = top.score - runner_up.score < CLOSE_MARGIN
    assert result.needs_review == (bool(result.red_flags) or weak or close)


# --- Ranking, review and the JSON shape -----------------------------------------------------


def test_ties_keep_the_category_order() -> None:
    result = prescreen(baseline_answers(alignment="bow_legs"), 35)
    tied = [item.code for item in result.categories if item.score == 0]
    assert len(tied) > 1
    assert tied == [code for code in Category if code in tied]


def test_a_weak_top_category_needs_review() -> None:
    result = prescreen(baseline_answers(alignment="bow_legs"), 35)
    assert result.categories[0].score < WEAK_SCORE
    assert result.needs_review


def test_no_support_at_all_has_no_top_category() -> None:
    result = prescreen(injury_answers(), 40)
    assert result.top_category is None
    assert result.needs_review


def test_a_clear_picture_needs_no_review() -> None:
    answers = baseline_answers(
        pain_location=["front"], aggravators=["stairs_down", "squatting", "prolonged_sitting"]
    )
    result = prescreen(answers, 25)
    assert result.top_category == Category.PATELLOFEMORAL
    top, runner_up = result.categories[:2]
    assert top.score >= WEAK_SCORE
    assert top.score - runner_up.score >= CLOSE_MARGIN
    assert not result.needs_review


def test_two_close_categories_need_review() -> None:
    # Front-knee pain on loading with an unstable kneecap: runner's knee or instability.
    answers = baseline_answers(
        pain_location=["front"],
        aggravators=["stairs_down", "squatting"],
        kneecap_unstable=True,
        alignment="knock_knees",
    )
    result = prescreen(answers, 25)
    top, runner_up = result.categories[:2]
    assert {top.code, runner_up.code} == {Category.PATELLOFEMORAL, Category.ANATOMICAL}
    assert top.score - runner_up.score < CLOSE_MARGIN
    assert result.needs_review


def test_evidence_against_lowers_a_score() -> None:
    stiff = baseline_answers(aggravators=["stairs_up"], stiff_after_rest=True)
    hot = {**stiff, "rf_hot_swollen_knee": True}
    assert _score(hot, 60, Category.ARTHRITIS) < _score(stiff, 60, Category.ARTHRITIS)


def test_a_combination_outweighs_its_parts() -> None:
    # Scores flatten as evidence grows, so beating the sum of the parts' scores needs a bonus.
    pop = _score(injury_answers(felt_pop=True), 25, Category.TENDON_LIGAMENT)
    pivot = _score(injury_answers(injury_mechanism=["twist_pivot"]), 25, Category.TENDON_LIGAMENT)
    both = injury_answers(felt_pop=True, injury_mechanism=["twist_pivot"])
    assert _score(both, 25, Category.TENDON_LIGAMENT) > pop + pivot


def _score(answers: dict[str, Any], age: int, code: Category) -> float:
    return next(item.score for item in prescreen(answers, age).categories if item.code == code)


def test_as_dict_has_the_contract_shape() -> None:
    result = prescreen(baseline_answers(rf_locked=True, pain_location=["front"]), 35)
    data: dict[str, Any] = json.loads(json.dumps(result.as_dict()))
    assert data == result.as_dict()
    assert list(data) == ["ruleset", "triage", "needs_review", "red_flags", "categories"]
    assert data["ruleset"] == "knee-v2"
    assert data["triage"] == "urgent"
    assert data["red_flags"] == [
        {"code": "rf_locked", "triage": "urgent", "reason": result.red_flags[0].reason}
    ]
    # The contract's three keys come first; points and evidence are added fields.
    assert [list(item) for item in data["categories"]] == [
        ["code", "score", "reasons", "points", "evidence"]
    ] * 7


def test_as_dict_gives_each_reason_with_its_points_and_whether_it_was_decisive() -> None:
    answers = baseline_answers(pain_location=["front"], aggravators=["squatting", "stairs_up"])
    result = prescreen(answers, 25)
    top = json.loads(json.dumps(result.as_dict()))["categories"][0]
    assert top["code"] == "patellofemoral"
    assert [entry["reason"] for entry in top["evidence"]] == top["reasons"]
    assert [entry["points"] for entry in top["evidence"]] == [
        round(reason.points, 2) for reason in result.categories[0].reasons
    ]
    assert top["points"] == round(sum(entry["points"] for entry in top["evidence"]), 2)
    assert [entry["decisive"] for entry in top["evidence"]] == [True, False, False]


def test_as_dict_rounds_scores_to_two_decimals() -> None:
    data = prescreen(baseline_answers(pain_location=["front"]), 35).as_dict()
    assert all(item["score"] == round(item["score"], 2) for item in data["categories"])
