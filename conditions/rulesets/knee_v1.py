"""Ruleset `knee-v1`: the first pre-screen rules, kept so stored intakes stay explained.

Intakes screened with it keep its result, and `prescreen_replay` compares a candidate with
it. Do not edit it: a change to the rules is a new version (`knee_v2` and later).

Each indicator is a weighted finding from the clinical reference
(`shared/design/clinical-reference.md`); single history items are weak evidence and carry
small weights, the combinations the reference names carry the large ones. Negative weights
are the reference's evidence against a category. A weight is in evidence points; see
`conditions.prescreen` for how points become a score.
"""

from __future__ import annotations

from collections.abc import Mapping

from conditions.categories import Category, Triage
from conditions.predicates import (
    age_at_least,
    age_under,
    all_of,
    answer_is,
    any_of,
    includes,
    no,
    yes,
)
from conditions.rules import ASKED_RED_FLAGS, DerivedRedFlag, Indicator, RedFlag, Ruleset

VERSION = "knee-v1"

# --- Derived red flags ----------------------------------------------------------------------

_injury = answer_is("onset", "injury")

DERIVED_RED_FLAGS: tuple[DerivedRedFlag, ...] = (
    DerivedRedFlag(
        RedFlag(
            "ottawa_xray",
            Triage.URGENT,
            "Ottawa knee rule: injury less than a week ago and aged 55 or over or unable to "
            "bend the knee to 90 degrees; an X-ray may be needed before therapy.",
        ),
        all_of(
            _injury,
            answer_is("duration", "under_1_week"),
            any_of(age_at_least(55), no("can_bend_90")),
        ),
    ),
    DerivedRedFlag(
        RedFlag(
            "haemarthrosis",
            Triage.URGENT,
            "Swelling within 2 hours of injury (haemarthrosis): ligament tear or fracture "
            "likely; acute knee clinic within days.",
        ),
        answer_is("swelling_after_injury", "within_2_hours"),
    ),
    DerivedRedFlag(
        RedFlag(
            "first_dislocation",
            Triage.URGENT,
            "First traumatic kneecap dislocation within the last 6 weeks: acute knee clinic "
            "within days to check for a bone or cartilage fragment.",
        ),
        all_of(
            answer_is("kneecap_dislocation", "once"),
            _injury,
            answer_is("duration", "under_1_week", "1_to_6_weeks"),
        ),
    ),
)


# --- Category indicators --------------------------------------------------------------------

# Activities that load the kneecap on a bent knee (patellofemoral consensus, Crossley 2016).
_BENT_KNEE_LOADING = ("squatting", "stairs_up", "stairs_down", "running", "jumping")
# Aggravators that make pain "activity-related" in the NICE osteoarthritis criteria.
_ACTIVITY = (
    *_BENT_KNEE_LOADING,
    "downhill",
    "kneeling",
    "twisting",
    "start_of_activity",
    "after_activity",
)

_gradual = answer_is("onset", "gradual")
_front = includes("pain_location", "front")
_below_kneecap = includes("pain_location", "below_kneecap")
_joint_line = includes("pain_location", "inner", "outer")
_twist = includes("injury_mechanism", "twist_pivot")
_dislocated = answer_is("kneecap_dislocation", "once", "more_than_once")

INDICATORS: Mapping[Category, tuple[Indicator, ...]] = {
    # No diagnostic-accuracy data exist for gait from a history; these are pointers, and gait
    # is usually a contributor alongside another category.
    Category.GAIT: (
        Indicator(
            0.9,
            yes("gait_changed"),
            "Has changed how they walk or run to avoid pain (compensatory gait).",
        ),
        Indicator(
            0.5,
            yes("training_change"),
            "Change in training load, shoes or surface in the 6 weeks before the pain.",
        ),
        Indicator(
            0.3,
            all_of(yes("gait_changed"), yes("training_change")),
            "Altered gait together with a recent load change.",
        ),
        Indicator(
            0.3,
            includes("aggravators", "start_of_activity"),
            "Pain at the start of a run.",
        ),
        Indicator(
            0.4,
            all_of(includes("pain_location", "outer"), includes("aggravators", "running")),
            "Outer-knee pain brought on by running (iliotibial band pattern).",
        ),
        Indicator(
            0.5,
            all_of(includes("pain_location", "outer"), includes("aggravators", "downhill")),
            "Outer-knee pain worse downhill: iliotibial band irritation, which a gait and load "
            "assessment addresses.",
        ),
        Indicator(
            -0.4,
            _injury,
            "Against: pain began with an injury, so a changed gait is more likely a result than "
            "the cause.",
        ),
    ),
    # 2016 international consensus: pain around or behind the kneecap made worse by at least
    # one activity loading the kneecap on a bent knee.
    Category.PATELLOFEMORAL: (
        Indicator(0.4, _front, "Pain around or behind the kneecap."),
        Indicator(
            1.2,
            all_of(_front, includes("aggravators", *_BENT_KNEE_LOADING)),
            "Peripatellar pain aggravated by loading the bent knee (squatting, stairs, running "
            "or jumping): the consensus core criterion.",
        ),
        Indicator(
            0.3,
            includes("aggravators", "prolonged_sitting"),
            "Pain on prolonged sitting.",
        ),
        Indicator(0.15, includes("aggravators", "stairs_down"), "Pain going down stairs."),
        Indicator(0.15, includes("mechanical", "grinding"), "Grinding (crepitus)."),
        Indicator(0.2, _gradual, "Gradual onset without injury."),
        Indicator(
            -0.3,
            age_at_least(60),
            "Against: aged 60 or over, patellofemoral pain syndrome is less typical (consider "
            "patellofemoral osteoarthritis).",
        ),
        Indicator(
            -0.5,
            any_of(_dislocated, yes("kneecap_unstable")),
            "Against: an unstable or previously dislocated kneecap, so front-knee pain may "
            "reflect instability (see anatomical differences).",
        ),
        Indicator(
            -0.2,
            answer_is("swelling", "often"),
            "Against: frequent swelling is not typical of patellofemoral pain.",
        ),
    ),
    Category.TENDON_LIGAMENT: (
        Indicator(
            0.4,
            includes("injury_mechanism", "twist_pivot", "direct_blow"),
            "Injury by a twist on a planted foot or a blow to the knee.",
        ),
        Indicator(0.4, yes("felt_pop"), "Felt or heard a pop at the time of injury."),
        Indicator(
            1.4,
            all_of(yes("felt_pop"), _twist),
            "Pop with a pivoting injury: strong pointer to an ACL tear (LR+ about 9.8, "
            "Decary 2018).",
        ),
        Indicator(0.5, yes("rapid_bruising"), "Rapid bruising after the injury."),
        Indicator(
            0.5,
            answer_is("swelling_after_injury", "within_2_hours"),
            "Swelling within 2 hours of injury (haemarthrosis): ligament tear likely.",
        ),
        Indicator(
            0.5,
            all_of(_injury, includes("mechanical", "giving_way")),
            "Knee gives way since the injury (ligamentous instability).",
        ),
        Indicator(
            0.5,
            all_of(includes("injury_mechanism", "direct_blow"), _joint_line),
            "Inner or outer knee pain after a blow to the knee: collateral ligament sprain likely.",
        ),
        Indicator(
            0.2,
            all_of(_twist, _joint_line),
            "Inner or outer knee pain after a twist: collateral ligament sprain possible (a "
            "meniscal tear is the alternative).",
        ),
        Indicator(
            0.8,
            yes("rf_cannot_lift_straight_leg"),
            "Cannot lift the straight leg: possible extensor mechanism (quadriceps or patellar "
            "tendon) rupture.",
        ),
        Indicator(0.4, _below_kneecap, "Pain just below the kneecap (patellar tendon)."),
        Indicator(
            0.8,
            all_of(_below_kneecap, includes("aggravators", *_BENT_KNEE_LOADING)),
            "Pain below the kneecap driven by jumping or loading: patellar tendinopathy "
            "(jumper's knee) pattern.",
        ),
        Indicator(
            0.3,
            all_of(_below_kneecap, includes("aggravators", "jumping")),
            "Jumping in particular, which loads the patellar tendon most.",
        ),
        Indicator(
            -0.3,
            answer_is("side", "both"),
            "Against: both knees hurt, so a single tendon or ligament injury is less likely.",
        ),
    ),
    # History alone cannot confirm a meniscal tear (Hegedus 2007): this is a pointer to examine.
    Category.CARTILAGE: (
        Indicator(0.4, _twist, "Twisting injury."),
        Indicator(0.3, _joint_line, "Pain on the inner or outer side of the knee (joint line)."),
        Indicator(
            0.6,
            all_of(_twist, _joint_line),
            "Twisting injury with joint-line pain: typical history of a meniscal tear.",
        ),
        Indicator(
            0.4,
            answer_is("swelling_after_injury", "later"),
            "Swelling built up over hours after the injury (meniscal pattern; swelling within "
            "2 hours points to a ligament or fracture).",
        ),
        Indicator(
            0.4,
            includes("mechanical", "locking_catching"),
            "Catching or locking (weak on its own, Katz 2017).",
        ),
        Indicator(
            0.3,
            all_of(_injury, includes("mechanical", "locking_catching")),
            "Catching or locking since an injury.",
        ),
        Indicator(
            0.9,
            yes("rf_locked"),
            "Knee locked, cannot straighten fully: displaced (bucket-handle) meniscal tear "
            "possible.",
        ),
        Indicator(
            0.2,
            includes("aggravators", "twisting"),
            "Pain on twisting or pivoting, which loads the meniscus.",
        ),
        Indicator(
            0.6,
            all_of(age_at_least(45), _gradual, _joint_line),
            "Over 45 with gradual, localised joint-line pain: degenerative meniscal picture.",
        ),
    ),
    Category.BURSITIS: (
        Indicator(1.0, yes("tender_lump"), "Soft, tender, swollen lump in a fixed spot."),
        Indicator(
            0.5,
            all_of(
                yes("tender_lump"),
                includes("pain_location", "front", "below_kneecap", "inner_below"),
            ),
            "Lump at a typical bursa site: over or below the kneecap, or on the inner shin "
            "(pes anserine).",
        ),
        Indicator(
            0.6,
            includes("pain_location", "inner_below"),
            "Pain on the inner shin a few centimetres below the joint (pes anserine area).",
        ),
        Indicator(
            0.3,
            includes("aggravators", "kneeling"),
            "Pain on kneeling (pressure on the prepatellar bursa).",
        ),
        Indicator(0.15, answer_is("swelling", "sometimes", "often"), "Reports swelling."),
    ),
    # NICE NG226: a clinical diagnosis at 45 or over with activity-related pain and morning
    # stiffness of 30 minutes or less (or none).
    Category.ARTHRITIS: (
        Indicator(
            1.0,
            all_of(
                age_at_least(45),
                includes("aggravators", *_ACTIVITY),
                answer_is("morning_stiffness", "none", "under_30_min"),
            ),
            "Meets the NICE clinical criteria: 45 or over, activity-related pain, morning "
            "stiffness 30 minutes or less.",
        ),
        Indicator(0.2, age_at_least(45), "Aged 45 or over."),
        Indicator(0.2, age_at_least(60), "Aged 60 or over (prevalence rises with age)."),
        Indicator(
            1.0,
            yes("diagnosed_arthritis"),
            "A doctor has already diagnosed arthritis in this knee.",
        ),
        Indicator(0.4, yes("stiff_after_rest"), "Stiff after sitting still (gelling)."),
        Indicator(
            0.3,
            answer_is("morning_stiffness", "under_30_min"),
            "Brief morning stiffness (under 30 minutes).",
        ),
        Indicator(0.3, includes("aggravators", "cold_weather"), "Worse in cold weather."),
        Indicator(0.3, includes("mechanical", "grinding"), "Grinding (crepitus)."),
        Indicator(
            0.4,
            all_of(_gradual, answer_is("duration", "over_3_months")),
            "Gradual onset and long-standing (over 3 months).",
        ),
        Indicator(
            0.3,
            any_of(yes("previous_injury"), yes("previous_surgery")),
            "Earlier injury or surgery to this knee (raises the risk of osteoarthritis).",
        ),
        Indicator(
            -0.6,
            all_of(_injury, answer_is("duration", "under_1_week", "1_to_6_weeks")),
            "Against: pain began with a recent injury.",
        ),
        Indicator(
            -0.5,
            answer_is("morning_stiffness", "over_30_min"),
            "Against: morning stiffness over 30 minutes suggests an inflammatory arthritis; "
            "suggest a doctor's review.",
        ),
        Indicator(
            -0.5,
            any_of(yes("rf_hot_swollen_knee"), yes("rf_fever_hot_knee")),
            "Against: a hot, swollen joint is not typical of osteoarthritis.",
        ),
        Indicator(-0.3, age_under(40), "Against: under 40, osteoarthritis is uncommon."),
    ),
    # Instability and dislocation history are what separate this from runner's knee.
    Category.ANATOMICAL: (
        Indicator(
            1.2,
            answer_is("kneecap_dislocation", "more_than_once"),
            "Recurrent kneecap dislocation (linked to trochlear dysplasia or a high-riding "
            "kneecap).",
        ),
        Indicator(
            0.6,
            answer_is("kneecap_dislocation", "once"),
            "One previous kneecap dislocation.",
        ),
        Indicator(
            1.0,
            yes("kneecap_unstable"),
            "Kneecap feels as if it might slip out (patellar instability).",
        ),
        Indicator(
            0.4,
            all_of(yes("kneecap_unstable"), _dislocated),
            "Ongoing instability after a dislocation.",
        ),
        Indicator(
            0.3,
            all_of(age_under(30), _dislocated),
            "Dislocation in the teens or twenties, when anatomy is the usual cause.",
        ),
        Indicator(
            0.4,
            answer_is("alignment", "knock_knees", "bow_legs"),
            "Knees angle inward or outward (malalignment).",
        ),
        Indicator(
            0.2,
            all_of(_gradual, includes("mechanical", "giving_way")),
            "Giving way without an injury: the kneecap may be slipping.",
        ),
    ),
}


KNEE_V1 = Ruleset(
    version=VERSION,
    questionnaire="knee-v1",
    asked_red_flags=ASKED_RED_FLAGS,
    derived_red_flags=DERIVED_RED_FLAGS,
    indicators=INDICATORS,
)
