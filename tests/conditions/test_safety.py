"""Red flags only ever raise triage: within a ruleset, and from one ruleset to the next."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conditions.categories import Triage
from conditions.prescreen import prescreen
from conditions.rules import ASKED_RED_FLAGS, RedFlag, Ruleset
from conditions.rulesets import KNEE_V1, KNEE_V2, RULESETS
from tests.conditions.answers import ages, answer_sets, injury_answers

rulesets = pytest.mark.parametrize(
    "ruleset", RULESETS.values(), ids=lambda ruleset: ruleset.version
)
red_flags = st.sampled_from(ASKED_RED_FLAGS)


@rulesets
@settings(max_examples=300)
@given(answers=answer_sets(), age=ages, flag=red_flags)
def test_a_red_flag_answer_only_raises_triage_whatever_else_is_answered(
    ruleset: Ruleset, answers: dict[str, object], age: int, flag: RedFlag
) -> None:
    without = prescreen({**answers, flag.code: False}, age, ruleset)
    raised = prescreen({**answers, flag.code: True}, age, ruleset)
    assert raised.triage >= without.triage
    assert raised.triage >= flag.triage
    assert flag in raised.red_flags
    assert raised.needs_review


@rulesets
@settings(max_examples=300)
@given(answers=answer_sets(), age=ages)
def test_triage_is_the_most_severe_red_flag_raised(
    ruleset: Ruleset, answers: dict[str, object], age: int
) -> None:
    result = prescreen(answers, age, ruleset)
    assert result.triage == max((f.triage for f in result.red_flags), default=Triage.ROUTINE)


@settings(max_examples=1000)
@given(answers=answer_sets(), age=ages)
def test_knee_v2_never_lowers_the_triage_of_knee_v1(answers: dict[str, object], age: int) -> None:
    old, new = prescreen(answers, age, KNEE_V1), prescreen(answers, age, KNEE_V2)
    assert new.triage >= old.triage
    # Stronger still: the same red flags, so nothing a clinician relied on went missing.
    assert [flag.code for flag in new.red_flags] == [flag.code for flag in old.red_flags]


@pytest.mark.parametrize(
    ("age", "changes", "code"),
    [
        (58, {"duration": "under_1_week", "can_bend_90": True}, "ottawa_xray"),
        (30, {"duration": "under_1_week", "can_bend_90": False}, "ottawa_xray"),
        (30, {"swelling_after_injury": "within_2_hours"}, "haemarthrosis"),
        (19, {"kneecap_dislocation": "once"}, "first_dislocation"),
    ],
    ids=["ottawa-age", "ottawa-bend", "haemarthrosis", "first-dislocation"],
)
@rulesets
def test_each_derived_red_flag_is_urgent_in_every_ruleset(
    ruleset: Ruleset, age: int, changes: dict[str, object], code: str
) -> None:
    result = prescreen(injury_answers(**changes), age, ruleset)
    assert [flag.code for flag in result.red_flags] == [code]
    assert result.triage == Triage.URGENT
