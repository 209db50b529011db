"""Clinical cases for the refinements knee-v2 encodes (clinical-reference.md, "Refinements
for the next ruleset"): how a physiotherapist would read each history.

Each case is a whole, valid answer set as a patient would give it, and the categories a
clinician would accept first (several where the reference says history cannot tell them
apart). They are read by the current ruleset, as new submissions are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from conditions.categories import Category, Triage
from conditions.prescreen import PrescreenResult, prescreen
from intake.questionnaire import validate
from tests.conditions.answers import baseline_answers, injury_answers

GAIT = Category.GAIT
PATELLOFEMORAL = Category.PATELLOFEMORAL
TENDON_LIGAMENT = Category.TENDON_LIGAMENT
CARTILAGE = Category.CARTILAGE
BURSITIS = Category.BURSITIS
ARTHRITIS = Category.ARTHRITIS
ANATOMICAL = Category.ANATOMICAL


@dataclass(frozen=True)
class Case:
    note: str
    age: int
    answers: dict[str, Any]
    top: frozenset[Category]
    triage: Triage = Triage.ROUTINE


def gradual(note: str, age: int, top: set[Category], **answers: Any) -> Case:
    return Case(note, age, baseline_answers(**answers), frozenset(top))


def injury(
    note: str, age: int, top: set[Category], triage: Triage = Triage.ROUTINE, **answers: Any
) -> Case:
    return Case(note, age, injury_answers(**answers), frozenset(top), triage)


def screen(case: Case) -> PrescreenResult:
    # Validated first, so every case is an answer set the questionnaire accepts.
    return prescreen(validate(case.answers, case.age), case.age)


def check(
    case: Case, *, not_top: frozenset[Category] | set[Category] = frozenset()
) -> PrescreenResult:
    """Screen `case`: its triage, a top category it accepts, and none of `not_top`."""
    result = screen(case)
    assert result.triage == case.triage, case.note
    assert result.top_category in case.top, (case.note, result.categories[:3])
    assert result.top_category not in not_top
    return result


def cases(*items: Case) -> Any:
    return pytest.mark.parametrize("case", items, ids=lambda case: case.note)


# --- 1. A kneecap dislocation explains its own injury story ----------------------------------


@cases(
    injury(
        "netball pivot, kneecap came out once: pop, swelling at once, inner pain, giving way",
        17,
        {ANATOMICAL},
        Triage.URGENT,  # a recent first dislocation, and swelling within 2 hours
        duration="1_to_6_weeks",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        pain_location=["inner", "front"],
        mechanical=["giving_way"],
        kneecap_dislocation="once",
        kneecap_unstable=True,
        aggravators=["twisting", "stairs_down"],
        swelling="sometimes",
    ),
    injury(
        "recurrent dislocator, kneecap went again turning three days ago",
        23,
        {ANATOMICAL},
        duration="under_1_week",
        can_bend_90=True,
        injury_mechanism=["twist_pivot"],
        swelling_after_injury="later",
        pain_location=["front"],
        mechanical=["giving_way"],
        kneecap_dislocation="more_than_once",
        kneecap_unstable=True,
        alignment="knock_knees",
    ),
    injury(
        "teen two months after a dislocation: pop, bruising, inner-knee pain, gives way",
        15,
        {ANATOMICAL},
        duration="6_weeks_to_3_months",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="later",
        rapid_bruising=True,
        pain_location=["inner"],
        mechanical=["giving_way"],
        kneecap_dislocation="once",
        aggravators=["running", "twisting", "stairs_down"],
    ),
    injury(
        "footballer, kneecap out twice before, fell landing on a twist; swelling later",
        20,
        {ANATOMICAL},
        duration="1_to_6_weeks",
        injury_mechanism=["landing", "twist_pivot"],
        felt_pop=True,
        swelling_after_injury="later",
        pain_location=["front", "inner"],
        mechanical=["giving_way"],
        kneecap_dislocation="more_than_once",
        swelling="sometimes",
    ),
)
def test_a_kneecap_dislocation_explains_the_injury_story(case: Case) -> None:
    result = check(case, not_top={TENDON_LIGAMENT})
    reasons = " ".join(reason.text for reason in result.categories[0].reasons)
    assert "medial patellofemoral ligament" in reasons or "dislocat" in reasons


@cases(
    injury(
        "same pivot, pop, swelling at once and giving way, no dislocation: the ACL pattern",
        26,
        {TENDON_LIGAMENT},
        Triage.URGENT,  # swelling within 2 hours
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        rapid_bruising=True,
        pain_location=["inner", "whole"],
        mechanical=["giving_way"],
        swelling="sometimes",
    ),
)
def test_without_a_dislocation_pop_and_pivot_still_point_to_the_acl(case: Case) -> None:
    result = check(case)
    assert any("ACL" in reason.text for reason in result.categories[0].decisive_reasons)


# --- 2. The NICE osteoarthritis criteria describe persistent joint pain ----------------------


@cases(
    gradual(
        "masters volleyball player: pain just below the kneecap from jumping",
        52,
        {TENDON_LIGAMENT},
        duration="6_weeks_to_3_months",
        pain_location=["below_kneecap"],
        aggravators=["jumping", "squatting", "stairs_up", "start_of_activity"],
        stiff_after_rest=True,
    ),
    gradual(
        "walker on the inner shin below the joint after more hills and stairs, no lump",
        58,
        {TENDON_LIGAMENT, BURSITIS},
        pain_location=["inner_below"],
        aggravators=["stairs_up", "stairs_down", "downhill"],
        alignment="knock_knees",
        training_change=True,
    ),
    injury(
        "fell onto the kneecap three weeks ago: stairs, squats and kneeling hurt",
        55,
        {CARTILAGE, BURSITIS},
        injury_mechanism=["fall"],
        pain_location=["front"],
        aggravators=["stairs_down", "squatting", "kneeling"],
        swelling="sometimes",
    ),
    gradual(
        "diffuse ache a few weeks after a clear jump in weekly distance",
        47,
        {GAIT, TENDON_LIGAMENT, PATELLOFEMORAL},
        pain_location=["whole"],
        aggravators=["running", "after_activity"],
        training_change=True,
        weekly_distance_km=65,
    ),
)
def test_age_alone_does_not_meet_the_osteoarthritis_criteria(case: Case) -> None:
    result = check(case, not_top={ARTHRITIS})
    arthritis = next(item for item in result.categories if item.code == ARTHRITIS)
    assert not any("NICE" in reason.text for reason in arthritis.reasons)


@cases(
    gradual(
        "years of inner and diffuse ache, worse on stairs and in the cold, stiff after rest",
        64,
        {ARTHRITIS},
        duration="over_3_months",
        side="both",
        pain_location=["inner", "whole"],
        aggravators=["stairs_down", "after_activity", "cold_weather"],
        morning_stiffness="under_30_min",
        stiff_after_rest=True,
        mechanical=["grinding"],
    ),
    gradual(
        "months of kneecap-joint pain on stairs at 61, grinding, doctor said arthritis",
        61,
        {ARTHRITIS},
        duration="6_weeks_to_3_months",
        pain_location=["front"],
        aggravators=["stairs_up", "stairs_down", "squatting"],
        mechanical=["grinding"],
        diagnosed_arthritis=True,
    ),
    gradual(
        "persistent joint-line pain long after an old injury, walking and stairs",
        68,
        {ARTHRITIS},
        duration="over_3_months",
        pain_location=["inner", "outer"],
        aggravators=["stairs_down", "after_activity"],
        previous_injury=True,
        stiff_after_rest=True,
    ),
)
def test_persistent_activity_related_joint_pain_at_45_or_over_is_osteoarthritis(
    case: Case,
) -> None:
    result = check(case)
    assert any("NICE" in reason.text for reason in result.categories[0].reasons)


# --- 3. Tendon problems are not only the patellar tendon --------------------------------------


@cases(
    gradual(
        "trail runner, pain behind the knee since adding hill repeats, worse downhill",
        36,
        {TENDON_LIGAMENT},
        pain_location=["back"],
        aggravators=["running", "downhill"],
        training_change=True,
    ),
    gradual(
        "back-outer corner of the knee on descents, 55 km a week, no swelling",
        41,
        {TENDON_LIGAMENT},
        duration="6_weeks_to_3_months",
        pain_location=["back", "outer"],
        aggravators=["downhill", "running", "start_of_activity"],
        weekly_distance_km=55,
    ),
    gradual(
        "pain behind the knee since starting speed work, worst at the start of a run",
        29,
        {TENDON_LIGAMENT},
        pain_location=["back"],
        aggravators=["running", "start_of_activity"],
        training_change=True,
    ),
    gradual(
        "older runner, inner shin below the joint after more mileage, knock knees, no lump",
        61,
        {TENDON_LIGAMENT, BURSITIS},
        pain_location=["inner_below"],
        aggravators=["stairs_up", "running"],
        alignment="knock_knees",
        training_change=True,
    ),
)
def test_tendons_beyond_the_patellar_tendon_score_as_tendons(case: Case) -> None:
    result = check(case, not_top={GAIT, ARTHRITIS})
    gait = next(item for item in result.categories if item.code == GAIT)
    assert not any("iliotibial" in reason.text for reason in gait.reasons)


def test_outer_knee_pain_downhill_is_still_the_iliotibial_band() -> None:
    case = gradual(
        "outer knee at the same distance on every long run, worse downhill",
        33,
        {GAIT},
        pain_location=["outer"],
        aggravators=["running", "downhill"],
        training_change=True,
    )
    result = check(case)
    assert any("iliotibial" in reason.text for reason in result.categories[0].reasons)


# --- 4. Patellar instability without a dislocation --------------------------------------------


@cases(
    gradual(
        "footballer: kneecap feels it will slip, gives way when cutting, front pain on squats",
        27,
        {ANATOMICAL},
        duration="over_3_months",
        pain_location=["front"],
        aggravators=["running", "jumping", "squatting", "twisting"],
        mechanical=["giving_way"],
        kneecap_unstable=True,
    ),
    gradual(
        "kneecap feels loose, knee gives way on stairs down, knock knees, never dislocated",
        22,
        {ANATOMICAL},
        duration="6_weeks_to_3_months",
        pain_location=["front"],
        aggravators=["stairs_down", "squatting"],
        mechanical=["giving_way"],
        kneecap_unstable=True,
        alignment="knock_knees",
    ),
    gradual(
        "hypermobile dancer: kneecap slips on turning, ache on sitting and stairs",
        19,
        {ANATOMICAL},
        duration="over_3_months",
        side="both",
        pain_location=["front"],
        aggravators=["squatting", "prolonged_sitting", "stairs_up", "twisting"],
        mechanical=["grinding", "giving_way"],
        kneecap_unstable=True,
        alignment="not_sure",
    ),
)
def test_an_unstable_kneecap_outweighs_a_runners_knee_pattern(case: Case) -> None:
    check(case, not_top={PATELLOFEMORAL})


# --- 5. Degenerative cartilage and meniscus -----------------------------------------------------


@cases(
    gradual(
        "deep-squat pain behind and inside the knee at 50, clicking, swelling on and off",
        50,
        {CARTILAGE},
        duration="6_weeks_to_3_months",
        pain_location=["back", "inner"],
        aggravators=["squatting", "twisting"],
        mechanical=["clicking"],
        swelling="sometimes",
    ),
    gradual(
        "meniscus operation years ago, inner pain rising from a squat, catching, swelling",
        56,
        {CARTILAGE},
        duration="6_weeks_to_3_months",
        pain_location=["inner"],
        aggravators=["squatting", "stairs_down"],
        mechanical=["locking_catching"],
        swelling="sometimes",
        morning_stiffness="under_30_min",
        previous_surgery=True,
    ),
    gradual(
        "gardener, pain behind the knee squatting and turning, catches and clicks",
        48,
        {CARTILAGE},
        pain_location=["back"],
        aggravators=["squatting", "twisting"],
        mechanical=["clicking", "locking_catching"],
        swelling="sometimes",
    ),
)
def test_a_meniscus_can_tear_without_injury_from_about_45(case: Case) -> None:
    check(case, not_top={ARTHRITIS})


# --- Clicking: harmless alone, cartilage with swelling or catching ----------------------------


def test_clicking_alone_does_not_make_a_runners_knee_cartilage() -> None:
    case = gradual(
        "young runner, front pain on stairs and squats, knee clicks",
        26,
        {PATELLOFEMORAL},
        pain_location=["front"],
        aggravators=["running", "stairs_down", "squatting"],
        mechanical=["clicking"],
    )
    result = check(case)
    cartilage = next(item for item in result.categories if item.code == CARTILAGE)
    assert cartilage.score == 0


@cases(
    gradual(
        "outer knee clicks with swelling on and off, twisting hurts",
        34,
        {CARTILAGE},
        duration="6_weeks_to_3_months",
        pain_location=["outer"],
        aggravators=["twisting", "squatting"],
        mechanical=["clicking"],
        swelling="sometimes",
    ),
    injury(
        "clicking and catching since a twist two months ago, inner joint line",
        31,
        {CARTILAGE},
        duration="6_weeks_to_3_months",
        injury_mechanism=["twist_pivot"],
        swelling_after_injury="later",
        pain_location=["inner"],
        mechanical=["clicking", "locking_catching"],
    ),
    gradual(
        "clicking and swelling behind the knee at 52 with squatting",
        52,
        {CARTILAGE},
        pain_location=["back"],
        aggravators=["squatting"],
        mechanical=["clicking"],
        swelling="often",
    ),
)
def test_clicking_with_swelling_or_catching_points_to_cartilage(case: Case) -> None:
    result = check(case)
    assert any("licking" in reason.text for reason in result.categories[0].reasons)


# --- Direct blows onto the kneecap ----------------------------------------------------------------


@cases(
    injury(
        "fell onto the kneecap two weeks ago: stairs and squats hurt",
        30,
        {CARTILAGE, BURSITIS},
        injury_mechanism=["fall"],
        pain_location=["front"],
        aggravators=["stairs_down", "squatting", "kneeling"],
    ),
    injury(
        "knee hit the dashboard: soft tender lump over the kneecap, kneeling hurts",
        42,
        {BURSITIS},
        injury_mechanism=["direct_blow"],
        pain_location=["front"],
        aggravators=["kneeling"],
        tender_lump=True,
        swelling="often",
    ),
    injury(
        "hockey stick onto the kneecap five weeks ago, grinding on stairs, swelling later",
        35,
        {CARTILAGE},
        injury_mechanism=["direct_blow"],
        swelling_after_injury="later",
        pain_location=["front"],
        aggravators=["stairs_up", "squatting"],
        mechanical=["grinding"],
        swelling="sometimes",
    ),
)
def test_a_blow_onto_the_kneecap_is_not_runners_knee(case: Case) -> None:
    result = check(case, not_top={PATELLOFEMORAL})
    patellofemoral = next(item for item in result.categories if item.code == PATELLOFEMORAL)
    assert any("onto the kneecap" in reason.text for reason in patellofemoral.reasons)


# --- Training load -----------------------------------------------------------------------------


@cases(
    gradual(
        "front knee pain since mileage went up, 70 km a week",
        34,
        {PATELLOFEMORAL},
        pain_location=["front"],
        aggravators=["running", "stairs_down", "squatting"],
        training_change=True,
        weekly_distance_km=70,
    ),
    gradual(
        "outer knee in a marathon block at 80 km a week, downhill worst",
        29,
        {GAIT},
        pain_location=["outer"],
        aggravators=["running", "downhill"],
        training_change=True,
        weekly_distance_km=80,
    ),
    gradual(
        "47, a few weeks of diffuse ache after doubling the long run",
        47,
        {GAIT},
        pain_location=["whole"],
        aggravators=["running", "after_activity"],
        training_change=True,
        weekly_distance_km=60,
    ),
    gradual(
        "high-mileage runner, pain just below the kneecap, worst setting off",
        40,
        {TENDON_LIGAMENT},
        pain_location=["below_kneecap"],
        aggravators=["running", "start_of_activity", "stairs_up"],
        weekly_distance_km=90,
    ),
)
def test_training_load_supports_an_overuse_picture(case: Case) -> None:
    check(case, not_top={ARTHRITIS})


def test_a_high_weekly_distance_is_named_in_the_reason() -> None:
    case = gradual(
        "outer knee on long runs",
        31,
        {GAIT},
        pain_location=["outer"],
        aggravators=["running"],
        weekly_distance_km=85,
    )
    result = check(case)
    assert any("85 km a week" in reason.text for reason in result.categories[0].reasons)


def test_a_rise_in_training_load_argues_against_wear_in_a_short_history() -> None:
    answers = {"pain_location": ["inner"], "aggravators": ["running", "stairs_down"]}
    steady = screen(gradual("steady", 52, {ARTHRITIS}, **answers))
    after_rise = screen(gradual("after a rise", 52, {ARTHRITIS}, training_change=True, **answers))
    assert _score(after_rise, ARTHRITIS) < _score(steady, ARTHRITIS)


def _score(result: PrescreenResult, code: Category) -> float:
    return next(item.score for item in result.categories if item.code == code)


# --- Showing the reasoning -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "can_bend_90", "named", "not_named"),
    [
        (58, True, "aged 58 (55 or over)", "cannot bend"),
        (30, False, "cannot bend the knee to 90 degrees", "aged"),
        (61, False, "aged 61 (55 or over) and cannot bend the knee to 90 degrees", None),
    ],
    ids=["age", "bend", "both"],
)
def test_the_ottawa_reason_names_the_criterion_that_fired(
    age: int, can_bend_90: bool, named: str, not_named: str | None
) -> None:
    case = injury(
        "fall three days ago",
        age,
        {CARTILAGE, BURSITIS, TENDON_LIGAMENT, PATELLOFEMORAL, GAIT, ARTHRITIS, ANATOMICAL},
        Triage.URGENT,
        duration="under_1_week",
        can_bend_90=can_bend_90,
        pain_location=["front"],
    )
    result = screen(case)
    assert result.triage == Triage.URGENT
    (flag,) = result.red_flags
    assert flag.code == "ottawa_xray"
    assert named in flag.reason
    assert not_named is None or not_named not in flag.reason


def test_a_reason_names_the_patients_own_answers() -> None:
    case = gradual(
        "front knee pain",
        28,
        {PATELLOFEMORAL},
        pain_location=["front"],
        aggravators=["squatting", "stairs_down", "kneeling"],
    )
    top = check(case).categories[0]
    core = top.reasons[0].text
    assert "made worse by squatting and going down stairs" in core
    assert "jumping" not in core
    assert "kneeling" not in core  # kneeling does not load the bent knee's kneecap joint


def test_the_decisive_pattern_stands_out_from_weak_single_findings() -> None:
    case = gradual(
        "runner's knee",
        30,
        {PATELLOFEMORAL},
        pain_location=["front"],
        aggravators=["stairs_down", "squatting"],
        training_change=True,
    )
    top = check(case).categories[0]
    decisive = [reason.text for reason in top.decisive_reasons]
    assert decisive == [top.reasons[0].text]
    assert "consensus core criterion" in decisive[0]
    assert "Gradual onset without injury." not in decisive
    assert top.reasons[0].points == max(reason.points for reason in top.reasons)
