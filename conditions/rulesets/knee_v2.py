"""Ruleset `knee-v2`: knee-v1 sharpened by the clinical reference's "Refinements for the next
ruleset" (`shared/design/clinical-reference.md`), for questionnaire knee-v1.

What changed from knee-v1, as clinical knowledge:
- A kneecap dislocation explains its own injury story: with a dislocation reported, a twist,
  a pop, swelling, inner-knee pain and giving way are read as patellar instability with the
  medial stabilisers torn (`anatomical`), and the ACL pattern needs no dislocation.
- The NICE osteoarthritis criteria describe persistent pain of the joint itself: not pain
  that began with a recent injury, at a site away from the joint (the patellar tendon, the
  pes anserine), or a short history after a clear rise in training load.
- Tendon problems are not only the patellar tendon: the pes anserine on the inner shin, and
  the hamstring and popliteus tendons behind the knee after hills and speed work. Pain behind
  the knee is never read as the iliotibial band, which hurts on the outer side.
- A kneecap that feels as if it might slip, with giving way on turning and no injury, is
  instability rather than runner's knee.
- Cartilage: from about 45 a meniscus tears without injury (deep squatting, twisting,
  clicking or catching, swelling that comes and goes); clicking counts only with swelling or
  catching; earlier surgery supports it.
- A fall or blow onto the kneecap argues against runner's knee (no injury by definition) and
  points to the cartilage under the kneecap or, with swelling or a lump, the bursa in front.
- Training load: a recent rise and a high weekly distance support overuse (gait and load,
  tendons, runner's knee) and argue against wear as the cause of a short history.
- Reasons name the patient's own answers, and the Ottawa reason says which criterion fired.

The red flags raise exactly what knee-v1 raises: only the Ottawa reason's words changed.
Weights are evidence points (see `conditions.prescreen`); negative ones say "Against:".
The ruleset is declared whole rather than as edits of knee-v1, so each version reads on its
own and nothing shared can change a version that intakes were screened with.
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
    at_least,
    includes,
    no,
    not_,
    yes,
)
from conditions.rules import (
    ASKED_RED_FLAGS,
    Criterion,
    DerivedRedFlag,
    Indicator,
    RedFlag,
    Ruleset,
)

VERSION = "knee-v2"

# A weekly distance well above a recreational runner's 20 to 40 km: a high training load.
HIGH_WEEKLY_KM = 50

# How a reason names the patient's answers.
WORDS: Mapping[str, Mapping[str, str]] = {
    "pain_location": {
        "front": "around the kneecap",
        "below_kneecap": "just below the kneecap",
        "inner": "on the inner side",
        "outer": "on the outer side",
        "back": "behind the knee",
        "inner_below": "on the inner shin below the knee",
        "whole": "all over the knee",
    },
    "aggravators": {
        "running": "running",
        "downhill": "running downhill",
        "stairs_up": "climbing stairs",
        "stairs_down": "going down stairs",
        "squatting": "squatting",
        "kneeling": "kneeling",
        "prolonged_sitting": "sitting for a long time",
        "jumping": "jumping",
        "twisting": "twisting or turning",
        "start_of_activity": "starting activity",
        "after_activity": "activity (pain afterwards)",
        "cold_weather": "cold weather",
    },
    "injury_mechanism": {
        "twist_pivot": "a twist on a planted foot",
        "direct_blow": "a direct blow",
        "landing": "a landing",
        "fall": "a fall",
        "other": "another injury",
    },
    "duration": {
        "under_1_week": "under a week",
        "1_to_6_weeks": "1 to 6 weeks",
        "6_weeks_to_3_months": "6 weeks to 3 months",
        "over_3_months": "over 3 months",
    },
    "morning_stiffness": {
        "none": "no morning stiffness",
        "under_30_min": "morning stiffness under 30 minutes",
        "over_30_min": "morning stiffness over 30 minutes",
    },
    "swelling_after_injury": {
        "within_2_hours": "within 2 hours",
        "later": "over the following hours",
        "none": "none",
    },
    "alignment": {
        "knock_knees": "inward (knock knees)",
        "bow_legs": "outward (bow legs)",
        "straight": "straight",
        "not_sure": "not sure",
    },
}

# --- The patient's story ----------------------------------------------------------------------

_injury = answer_is("onset", "injury")
_gradual = answer_is("onset", "gradual")
_under_6_weeks = answer_is("duration", "under_1_week", "1_to_6_weeks")
# Short beside osteoarthritis, whose history runs over months to years.
_short_history = answer_is("duration", "under_1_week", "1_to_6_weeks", "6_weeks_to_3_months")
_persistent = answer_is("duration", "6_weeks_to_3_months", "over_3_months")
_over_3_months = answer_is("duration", "over_3_months")
_recent_injury = all_of(_injury, _short_history)

# --- Where it hurts ---------------------------------------------------------------------------

_front = includes("pain_location", "front")
_below_kneecap = includes("pain_location", "below_kneecap")
_inner = includes("pain_location", "inner")
_outer = includes("pain_location", "outer")
_back = includes("pain_location", "back")
_inner_below = includes("pain_location", "inner_below")
_joint_line = includes("pain_location", "inner", "outer")
_joint_line_or_back = includes("pain_location", "inner", "outer", "back")
# The joint itself, as the NICE criteria mean it: joint line, diffuse, or the kneecap joint.
_joint_pain = includes("pain_location", "front", "inner", "outer", "whole")
# Where a tendon, not the joint, hurts: patellar tendon, pes anserine, hamstrings, popliteus.
_tendon_site = includes("pain_location", "below_kneecap", "inner_below", "back")

# --- Injuries ----------------------------------------------------------------------------------

_twist = includes("injury_mechanism", "twist_pivot")
_blow_onto_kneecap = all_of(includes("injury_mechanism", "direct_blow", "fall"), _front)
_dislocated = answer_is("kneecap_dislocation", "once", "more_than_once")
# The ACL and meniscus readings of an injury apply only when no dislocation explains it.
_never_dislocated = answer_is("kneecap_dislocation", "never")
# The kneecap came out and the pain began with an injury: the dislocation is the story.
_dislocation_story = all_of(_dislocated, _injury)

# --- Training load -----------------------------------------------------------------------------

_load_change = yes("training_change")
_high_mileage = at_least("weekly_distance_km", HIGH_WEEKLY_KM)
_short_history_after_load_change = all_of(_short_history, _load_change)

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
# What loads the patellar tendon: jumping and hopping, stairs, deep loading, running.
_PATELLAR_TENDON_LOADING = ("jumping", "squatting", "stairs_up", "stairs_down", "running")
# What loads the pes anserine: hills, stairs and mileage.
_PES_ANSERINE_LOADING = ("stairs_up", "stairs_down", "downhill", "running")

# --- Derived red flags: what knee-v1 raises, the Ottawa reason naming its criterion -----------

DERIVED_RED_FLAGS: tuple[DerivedRedFlag, ...] = (
    DerivedRedFlag(
        RedFlag(
            "ottawa_xray",
            Triage.URGENT,
            "Ottawa knee rule: injury less than a week ago and {criteria}; an X-ray may be "
            "needed before therapy.",
        ),
        all_of(_injury, answer_is("duration", "under_1_week")),
        criteria=(
            Criterion(age_at_least(55), "aged {age} (55 or over)"),
            Criterion(no("can_bend_90"), "cannot bend the knee to 90 degrees"),
        ),
    ),
    DerivedRedFlag(
        RedFlag(
            "haemarthrosis",
            Triage.URGENT,
            "Swelling within 2 hours of injury (haemarthrosis): ligament tear, kneecap "
            "dislocation or fracture likely; acute knee clinic within days.",
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
        all_of(answer_is("kneecap_dislocation", "once"), _injury, _under_6_weeks),
    ),
)

# --- Category indicators -----------------------------------------------------------------------

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
            _load_change,
            "Change in training load, shoes or surface in the 6 weeks before the pain.",
        ),
        Indicator(
            0.3,
            all_of(yes("gait_changed"), _load_change),
            "Altered gait together with a recent load change.",
        ),
        Indicator(
            0.3,
            _high_mileage,
            "Runs {weekly_distance_km} km a week: a high training load for a gait and load "
            "assessment.",
        ),
        Indicator(
            0.3,
            includes("aggravators", "start_of_activity"),
            "Pain at the start of a run.",
        ),
        # The iliotibial band hurts on the outer side; pain behind the knee is a tendon's.
        Indicator(
            0.4,
            all_of(_outer, not_(_back), includes("aggravators", "running")),
            "Outer-knee pain brought on by running (iliotibial band pattern).",
        ),
        Indicator(
            0.5,
            all_of(_outer, not_(_back), includes("aggravators", "downhill")),
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
    # one activity loading the kneecap on a bent knee; no injury, by definition.
    Category.PATELLOFEMORAL: (
        Indicator(0.4, _front, "Pain around or behind the kneecap."),
        Indicator(
            1.2,
            all_of(_front, includes("aggravators", *_BENT_KNEE_LOADING)),
            "Pain around the kneecap made worse by {aggravators}, which load the bent knee: "
            "the consensus core criterion.",
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
            0.2,
            all_of(_front, _gradual, any_of(_load_change, _high_mileage)),
            "Front-knee pain that came on with more training or a high weekly distance: an "
            "overuse picture.",
        ),
        Indicator(
            -0.3,
            age_at_least(60),
            "Against: aged 60 or over, patellofemoral pain syndrome is less typical (consider "
            "patellofemoral osteoarthritis).",
        ),
        Indicator(
            -0.6,
            any_of(_dislocated, yes("kneecap_unstable")),
            "Against: an unstable or previously dislocated kneecap, so front-knee pain may "
            "reflect instability (see anatomical differences).",
        ),
        Indicator(
            -0.2,
            answer_is("swelling", "often"),
            "Against: frequent swelling is not typical of patellofemoral pain.",
        ),
        Indicator(
            -0.4,
            _injury,
            "Against: the pain began with an injury; patellofemoral pain syndrome has none by "
            "definition.",
        ),
        Indicator(
            -0.6,
            _blow_onto_kneecap,
            "Against: {injury_mechanism} onto the kneecap points to bruising, bursitis, "
            "cartilage damage or a fracture, not to patellofemoral pain.",
        ),
    ),
    Category.TENDON_LIGAMENT: (
        # Ligaments, when no kneecap dislocation explains the injury.
        Indicator(
            0.4,
            all_of(_twist, _never_dislocated),
            "Injury by a twist on a planted foot.",
        ),
        Indicator(
            0.4,
            all_of(yes("felt_pop"), _never_dislocated),
            "Felt or heard a pop at the time of injury.",
        ),
        Indicator(
            1.4,
            all_of(yes("felt_pop"), _twist, _never_dislocated),
            "Pop with a pivoting injury and no kneecap dislocation: strong pointer to an ACL "
            "tear (LR+ about 9.8, Decary 2018).",
        ),
        Indicator(
            0.5,
            all_of(yes("rapid_bruising"), _never_dislocated),
            "Rapid bruising after the injury.",
        ),
        Indicator(
            0.5,
            all_of(answer_is("swelling_after_injury", "within_2_hours"), _never_dislocated),
            "Swelling within 2 hours of injury (haemarthrosis): ligament tear likely.",
        ),
        Indicator(
            0.5,
            all_of(_injury, includes("mechanical", "giving_way"), _never_dislocated),
            "Knee gives way since the injury (ligamentous instability).",
        ),
        # A blow to the side of the knee (a blow onto the kneecap is not a ligament's).
        Indicator(
            0.8,
            all_of(includes("injury_mechanism", "direct_blow"), _joint_line),
            "Pain {pain_location} after a blow to the knee: collateral ligament sprain likely.",
        ),
        Indicator(
            0.2,
            all_of(_twist, _joint_line, _never_dislocated),
            "Pain {pain_location} after a twist: collateral ligament sprain possible (a "
            "meniscal tear is the alternative).",
        ),
        Indicator(
            0.8,
            yes("rf_cannot_lift_straight_leg"),
            "Cannot lift the straight leg: possible extensor mechanism (quadriceps or patellar "
            "tendon) rupture.",
        ),
        # Patellar tendinopathy: any age of jumping athlete, masters athletes included.
        Indicator(0.4, _below_kneecap, "Pain just below the kneecap (patellar tendon)."),
        Indicator(
            0.8,
            all_of(_below_kneecap, includes("aggravators", *_PATELLAR_TENDON_LOADING)),
            "Pain just below the kneecap made worse by {aggravators}: patellar tendinopathy "
            "(jumper's knee) pattern.",
        ),
        Indicator(
            0.3,
            all_of(_below_kneecap, includes("aggravators", "jumping")),
            "Jumping in particular, which loads the patellar tendon most.",
        ),
        Indicator(
            0.2,
            all_of(_below_kneecap, _gradual, yes("stiff_after_rest")),
            "Stiff after rest with pain below the kneecap, as a loaded tendon is.",
        ),
        # Pes anserine: history cannot tell the tendons from their bursa without a lump.
        Indicator(
            0.5,
            _inner_below,
            "Pain on the inner shin a few centimetres below the joint: the pes anserine tendons "
            "(or their bursa).",
        ),
        Indicator(
            0.5,
            all_of(_inner_below, includes("aggravators", *_PES_ANSERINE_LOADING)),
            "Inner-shin pain below the joint made worse by {aggravators}: pes anserine "
            "tendinopathy pattern.",
        ),
        Indicator(
            0.2,
            all_of(_inner_below, answer_is("alignment", "knock_knees")),
            "Knock knees, which load the pes anserine.",
        ),
        # Hamstring and popliteus tendons behind the knee, after hills and speed work.
        Indicator(
            0.3,
            all_of(_back, _gradual, answer_is("swelling", "none")),
            "Pain behind the knee that came on without injury or swelling: hamstring or "
            "popliteus tendon.",
        ),
        Indicator(
            0.2,
            all_of(_back, _gradual, includes("aggravators", "running")),
            "Pain behind the knee brought on by running.",
        ),
        Indicator(
            0.6,
            all_of(_back, _gradual, includes("aggravators", "downhill")),
            "Pain behind the knee running downhill: hamstring or popliteus tendinopathy pattern.",
        ),
        Indicator(
            0.3,
            all_of(_back, _outer, _gradual),
            "Pain at the back-outer corner of the knee: the popliteus tendon.",
        ),
        # Every tendon: worst at the start, easing as it warms up; overloaded by more training.
        Indicator(
            0.3,
            all_of(_tendon_site, _gradual, includes("aggravators", "start_of_activity")),
            "Pain {pain_location} worst at the start of activity, as a tendon is before it "
            "warms up.",
        ),
        Indicator(
            0.4,
            all_of(_tendon_site, _gradual, _load_change),
            "Pain {pain_location} after a rise in training or new shoes or surface: a tendon "
            "overuse picture.",
        ),
        Indicator(
            0.2,
            all_of(_tendon_site, _gradual, _high_mileage),
            "Pain {pain_location} with {weekly_distance_km} km a week: a high load on the tendons.",
        ),
        Indicator(
            -0.3,
            all_of(answer_is("side", "both"), _injury),
            "Against: both knees hurt after an injury, so a single torn ligament is less likely.",
        ),
    ),
    # History alone cannot confirm a meniscal tear (Hegedus 2007): this is a pointer to examine.
    Category.CARTILAGE: (
        Indicator(0.4, all_of(_twist, _never_dislocated), "Twisting injury."),
        Indicator(
            0.3,
            all_of(_joint_line, not_(_dislocation_story)),
            "Pain {pain_location} of the knee, at the joint line.",
        ),
        Indicator(
            0.6,
            all_of(_twist, _joint_line, _never_dislocated),
            "Twisting injury with pain {pain_location}: typical history of a meniscal tear.",
        ),
        Indicator(
            0.4,
            all_of(answer_is("swelling_after_injury", "later"), _never_dislocated),
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
        # Degenerative meniscus: from about 45 it can tear without injury.
        Indicator(
            0.4,
            all_of(age_at_least(45), _gradual, _joint_line),
            "Aged {age} with gradual pain {pain_location}: degenerative meniscal picture.",
        ),
        Indicator(
            0.7,
            all_of(
                age_at_least(45),
                _gradual,
                _joint_line_or_back,
                includes("aggravators", "squatting", "twisting"),
                not_(_short_history_after_load_change),
            ),
            "Aged {age}, gradual pain {pain_location} made worse by {aggravators}: from about "
            "45 a meniscus can tear without injury.",
        ),
        Indicator(
            0.3,
            all_of(_gradual, _joint_line_or_back, answer_is("swelling", "sometimes")),
            "Swelling that comes and goes, with pain {pain_location}: meniscal pattern.",
        ),
        # Clicking alone is common and harmless; with swelling or catching it points here.
        Indicator(
            0.4,
            all_of(
                includes("mechanical", "clicking"),
                any_of(
                    answer_is("swelling", "sometimes", "often"),
                    includes("mechanical", "locking_catching"),
                ),
            ),
            "Clicking together with swelling or catching.",
        ),
        Indicator(
            0.2,
            all_of(includes("mechanical", "clicking"), _joint_line_or_back),
            "Clicking with pain {pain_location}.",
        ),
        Indicator(
            0.3,
            yes("previous_surgery"),
            "Earlier surgery on this knee (often on a meniscus).",
        ),
        # A blow onto the kneecap can damage the cartilage under it (a fracture is the red-flag
        # path, through the Ottawa rule and weight bearing).
        Indicator(
            0.8,
            _blow_onto_kneecap,
            "Kneecap hurt by {injury_mechanism}: the cartilage under it may be damaged.",
        ),
        Indicator(
            0.4,
            all_of(_blow_onto_kneecap, includes("aggravators", *_BENT_KNEE_LOADING)),
            "Since the blow, {aggravators} hurts: loading the bent knee presses on the "
            "cartilage under the kneecap.",
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
            "Lump with pain {pain_location}: a typical bursa site (in front of or below the "
            "kneecap, or the pes anserine).",
        ),
        Indicator(
            0.5,
            _inner_below,
            "Pain on the inner shin a few centimetres below the joint (pes anserine bursa or "
            "tendons).",
        ),
        Indicator(
            0.3,
            includes("aggravators", "kneeling"),
            "Pain on kneeling (pressure on the prepatellar bursa).",
        ),
        Indicator(0.15, answer_is("swelling", "sometimes", "often"), "Reports swelling."),
        Indicator(
            0.6,
            all_of(
                _blow_onto_kneecap,
                any_of(yes("tender_lump"), answer_is("swelling", "sometimes", "often")),
            ),
            "Swelling or a lump after {injury_mechanism} onto the kneecap: traumatic "
            "prepatellar bursitis.",
        ),
    ),
    # NICE NG226: a clinical diagnosis at 45 or over with persistent activity-related joint
    # pain and morning stiffness of 30 minutes or less (or none).
    Category.ARTHRITIS: (
        Indicator(
            1.0,
            all_of(
                age_at_least(45),
                includes("aggravators", *_ACTIVITY),
                answer_is("morning_stiffness", "none", "under_30_min"),
                _joint_pain,
                _persistent,
                not_(_recent_injury),
                not_(_short_history_after_load_change),
            ),
            "Meets the NICE clinical criteria: aged {age}, joint pain {pain_location} with "
            "{aggravators} for {duration}, and {morning_stiffness}.",
        ),
        Indicator(
            0.4,
            all_of(
                age_at_least(45),
                includes("aggravators", *_ACTIVITY),
                answer_is("morning_stiffness", "none", "under_30_min"),
                _joint_pain,
                _gradual,
                _under_6_weeks,
                not_(_load_change),
            ),
            "Aged {age} with activity-related joint pain, but for only {duration}: the NICE "
            "criteria describe persistent pain.",
        ),
        Indicator(0.2, age_at_least(45), "Aged {age}: 45 or over."),
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
            all_of(_gradual, _over_3_months),
            "Gradual onset and long-standing (over 3 months).",
        ),
        Indicator(
            0.3,
            any_of(yes("previous_injury"), yes("previous_surgery")),
            "Earlier injury or surgery to this knee (raises the risk of osteoarthritis).",
        ),
        Indicator(
            -0.6,
            all_of(_injury, _under_6_weeks),
            "Against: pain began with a recent injury.",
        ),
        Indicator(
            -0.5,
            _short_history_after_load_change,
            "Against: a short history after a rise in training load points to overuse, not wear.",
        ),
        Indicator(
            -0.2,
            all_of(_short_history, _high_mileage, not_(_load_change)),
            "Against: a short history in a runner covering {weekly_distance_km} km a week; "
            "overuse is likelier than wear.",
        ),
        Indicator(
            -0.4,
            all_of(_below_kneecap, includes("aggravators", "jumping")),
            "Against: pain just below the kneecap brought on by jumping is a tendon's, at any "
            "age, not wear of the joint.",
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
            "Knees angle {alignment} (malalignment).",
        ),
        Indicator(
            0.2,
            all_of(_gradual, includes("mechanical", "giving_way")),
            "Giving way without an injury: the kneecap may be slipping.",
        ),
        # Instability without a dislocation: subluxation, not runner's knee.
        Indicator(
            0.7,
            all_of(yes("kneecap_unstable"), _gradual, includes("mechanical", "giving_way")),
            "Kneecap feels as if it might slip and the knee gives way, without an injury: "
            "patellar subluxation.",
        ),
        Indicator(
            0.4,
            all_of(yes("kneecap_unstable"), _gradual, includes("aggravators", "twisting")),
            "Kneecap feels unstable and twisting or turning hurts, without an injury: the "
            "kneecap slipping on turning or cutting.",
        ),
        # A dislocation explains its own injury story: pop, swelling, inner pain, giving way.
        Indicator(
            0.8,
            _dislocation_story,
            "The kneecap has come out and the pain began with an injury: a lateral patellar "
            "dislocation explains the injury.",
        ),
        Indicator(
            0.4,
            all_of(_dislocation_story, _twist),
            "A twist on a planted foot, the usual way a kneecap dislocates.",
        ),
        Indicator(
            0.4,
            all_of(_dislocation_story, yes("felt_pop")),
            "The pop came with the kneecap going out (with a dislocation it is no ACL sign).",
        ),
        Indicator(
            0.4,
            all_of(_dislocation_story, _inner),
            "Inner-knee pain after the dislocation: the medial patellofemoral ligament and "
            "retinaculum tear in most first dislocations.",
        ),
        Indicator(
            0.3,
            all_of(
                _dislocation_story,
                answer_is("swelling_after_injury", "within_2_hours", "later"),
            ),
            "Swelling {swelling_after_injury} after the dislocation.",
        ),
        Indicator(
            0.4,
            all_of(_dislocated, includes("mechanical", "giving_way")),
            "Giving way in a knee whose kneecap has dislocated: the kneecap going, not a new "
            "ligament injury.",
        ),
    ),
}

KNEE_V2 = Ruleset(
    version=VERSION,
    questionnaire="knee-v1",
    asked_red_flags=ASKED_RED_FLAGS,
    derived_red_flags=DERIVED_RED_FLAGS,
    indicators=INDICATORS,
    words=WORDS,
)
