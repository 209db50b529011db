"""The intake questionnaire `knee-v1`, declared once.

Every item of sections A (safety check) and B (about the knee pain) with its linkId, type,
options, enable condition, limits and patient wording, in the order patients see them. The
linkIds and option codes are a contract (`shared/design/questionnaire.md`); the wording may
be improved, the codes may not change.
"""

from __future__ import annotations

from intake.questionnaire.engine import (
    AskedIn,
    EnableWhen,
    Item,
    ItemType,
    Option,
    Questionnaire,
    Step,
)

SAFETY = Step(
    "safety",
    "A",
    "Safety check",
    "First, a few questions to check whether you need to see a doctor before physical "
    "therapy. If you answer yes to any of them, we will tell you what to do right away.",
)
KNEE = Step(
    "knee",
    "B",
    "Your knee",
    "Tell us where your knee hurts, how it started and how it feels now.",
)
ACTIVITY = Step(
    "activity",
    "B",
    "Activity and history",
    "Tell us what makes the pain worse and about your knee's past.",
)

BOOLEAN = ItemType.BOOLEAN
CHOICE = ItemType.CHOICE
MULTI = ItemType.MULTI
INTEGER = ItemType.INTEGER
TEXT = ItemType.TEXT
_AFTER_INJURY = (EnableWhen("onset", "injury"),)
_RECENT_INJURY = (*_AFTER_INJURY, EnableWhen("duration", "under_1_week"))

KNEE_V1 = Questionnaire(
    version="knee-v1",
    steps=(SAFETY, KNEE, ACTIVITY),
    items=(
        # A. Safety check: each `true` raises the red flag of the same code in conditions.rules.
        Item(
            "rf_fever_hot_knee",
            BOOLEAN,
            SAFETY,
            "Is your knee hot, red or swollen while you also have a fever or chills, or feel "
            "sick all over?",
        ),
        Item(
            "rf_hot_swollen_knee",
            BOOLEAN,
            SAFETY,
            "Over the last few days, has your knee become hot and swollen without an injury?",
        ),
        Item(
            "rf_cannot_bear_weight",
            BOOLEAN,
            SAFETY,
            "Since an injury, are you unable to take four steps on that leg, even with a limp?",
        ),
        Item(
            "rf_deformity",
            BOOLEAN,
            SAFETY,
            "Since an injury, does your knee or kneecap look out of place or a strange shape?",
        ),
        Item(
            "rf_cannot_lift_straight_leg",
            BOOLEAN,
            SAFETY,
            "Since an injury, are you unable to lift your leg up straight while lying on your "
            "back?",
        ),
        Item(
            "rf_numb_cold_foot",
            BOOLEAN,
            SAFETY,
            "Is your foot or lower leg numb, cold, pale or blue?",
        ),
        Item(
            "rf_calf_swelling",
            BOOLEAN,
            SAFETY,
            "Is your calf (the back of your lower leg) swollen, sore to touch, warm or red?",
        ),
        Item(
            "rf_locked",
            BOOLEAN,
            SAFETY,
            "Is your knee stuck so that you cannot straighten it all the way?",
        ),
        Item(
            "rf_night_pain_weight_loss",
            BOOLEAN,
            SAFETY,
            "Do you have pain every night that painkillers do not help, or have you lost "
            "weight without trying?",
        ),
        # B. Your knee.
        Item(
            "side",
            CHOICE,
            KNEE,
            "Which knee hurts?",
            options=(
                Option("left", "Left knee"),
                Option("right", "Right knee"),
                Option("both", "Both knees"),
            ),
        ),
        Item(
            "pain_location",
            MULTI,
            KNEE,
            "Where does it hurt?",
            options=(
                Option("front", "At the front, around or behind the kneecap"),
                Option("below_kneecap", "Just below the kneecap"),
                Option("inner", "On the inner side of the knee (the side nearest your other knee)"),
                Option("outer", "On the outer side of the knee"),
                Option("back", "Behind the knee"),
                Option(
                    "inner_below", "On the inner side of the shin, 1 to 2 inches below the knee"
                ),
                Option("whole", "All over the knee"),
            ),
            help_text="Choose every place that hurts.",
        ),
        Item(
            "onset",
            CHOICE,
            KNEE,
            "How did the pain start?",
            options=(
                Option("injury", "Suddenly, at a moment I remember or with an injury"),
                Option("gradual", "Slowly, over time"),
            ),
        ),
        Item(
            "duration",
            CHOICE,
            KNEE,
            "How long have you had this pain?",
            options=(
                Option("under_1_week", "Less than 1 week"),
                Option("1_to_6_weeks", "1 to 6 weeks"),
                Option("6_weeks_to_3_months", "6 weeks to 3 months"),
                Option("over_3_months", "More than 3 months"),
            ),
        ),
        Item(
            "injury_mechanism",
            MULTI,
            KNEE,
            "How did you hurt your knee?",
            options=(
                Option("twist_pivot", "I twisted or turned while my foot stayed planted"),
                Option("direct_blow", "Something hit my knee"),
                Option("landing", "I landed from a jump"),
                Option("fall", "I fell"),
                Option("other", "Some other way"),
            ),
            enable_when=_AFTER_INJURY,
            help_text="Choose all that fit.",
        ),
        Item(
            "felt_pop",
            BOOLEAN,
            KNEE,
            "When it happened, did you feel or hear a pop in your knee?",
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "swelling_after_injury",
            CHOICE,
            KNEE,
            "After the injury, when did your knee swell up?",
            options=(
                Option("within_2_hours", "Within 2 hours"),
                Option("later", "Later, after 2 hours or the next day"),
                Option("none", "It did not swell"),
            ),
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "rapid_bruising",
            BOOLEAN,
            KNEE,
            "Did a lot of bruising show up soon after the injury?",
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "can_bend_90",
            BOOLEAN,
            KNEE,
            "Can you bend your knee to a right angle, as when you sit on a chair?",
            enable_when=_RECENT_INJURY,
            help_text="Bend it gently and stop if it hurts a lot.",
        ),
        Item(
            "pain_now",
            INTEGER,
            KNEE,
            "How bad is the pain right now?",
            min_value=0,
            max_value=10,
            help_text="0 means no pain at all and 10 means the worst pain you can imagine.",
        ),
        Item(
            "pain_worst_week",
            INTEGER,
            KNEE,
            "How bad was the pain at its worst in the last week?",
            min_value=0,
            max_value=10,
            help_text="0 means no pain at all and 10 means the worst pain you can imagine.",
        ),
        Item(
            "swelling",
            CHOICE,
            KNEE,
            "Does your knee swell up?",
            options=(
                Option("none", "No"),
                Option("sometimes", "Sometimes"),
                Option("often", "Often"),
            ),
        ),
        Item(
            "tender_lump",
            BOOLEAN,
            KNEE,
            "Is there a soft, sore, swollen lump on your kneecap, just below it, or on the inner "
            "side of your shin just below the knee?",
        ),
        Item(
            "mechanical",
            MULTI,
            KNEE,
            "Does your knee do any of these?",
            options=(
                Option("locking_catching", "Catches or gets stuck for a moment"),
                Option("giving_way", "Gives way or buckles"),
                Option("grinding", "Grinds or crunches"),
                Option("clicking", "Clicks"),
            ),
            required=False,
            help_text="Choose all that happen. Leave them all unchecked if none do.",
        ),
        Item(
            "kneecap_dislocation",
            CHOICE,
            KNEE,
            "Has your kneecap ever slipped all the way out of place (dislocated)?",
            options=(
                Option("never", "Never"),
                Option("once", "Once"),
                Option("more_than_once", "More than once"),
            ),
        ),
        Item(
            "kneecap_unstable",
            BOOLEAN,
            KNEE,
            "Does your kneecap feel as if it might slip out of place?",
        ),
        Item(
            "alignment",
            CHOICE,
            KNEE,
            "When you stand up straight, how do your knees look?",
            options=(
                Option("knock_knees", "They point in toward each other (knock knees)"),
                Option("bow_legs", "They bend out, away from each other (bow legs)"),
                Option("straight", "Straight"),
                Option("not_sure", "I'm not sure"),
            ),
        ),
        # B. Activity and history.
        Item(
            "aggravators",
            MULTI,
            ACTIVITY,
            "What makes the pain worse?",
            options=(
                Option("running", "Running"),
                Option("downhill", "Running or walking downhill"),
                Option("stairs_up", "Going up stairs"),
                Option("stairs_down", "Going down stairs"),
                Option("squatting", "Squatting"),
                Option("kneeling", "Kneeling"),
                Option("prolonged_sitting", "Sitting for a long time"),
                Option("jumping", "Jumping or hopping"),
                Option("twisting", "Twisting or turning"),
                Option("start_of_activity", "The start of a run or workout"),
                Option("after_activity", "After a run or workout"),
                Option("cold_weather", "Cold weather"),
            ),
            required=False,
            help_text="Choose all that apply.",
        ),
        Item(
            "morning_stiffness",
            CHOICE,
            ACTIVITY,
            "Is your knee stiff when you get up in the morning?",
            options=(
                Option("none", "No"),
                Option("under_30_min", "Yes, for 30 minutes or less"),
                Option("over_30_min", "Yes, for more than 30 minutes"),
            ),
        ),
        Item(
            "stiff_after_rest",
            BOOLEAN,
            ACTIVITY,
            "Is your knee stiff after you sit still for a long time?",
        ),
        Item(
            "gait_changed",
            BOOLEAN,
            ACTIVITY,
            "Have you changed the way you walk or run to avoid the pain?",
        ),
        Item(
            "training_change",
            BOOLEAN,
            ACTIVITY,
            "In the 6 weeks before the pain started, did you run farther or faster, or change "
            "your shoes or where you run?",
        ),
        Item("previous_injury", BOOLEAN, ACTIVITY, "Have you hurt this knee before?"),
        Item("previous_surgery", BOOLEAN, ACTIVITY, "Have you had surgery on this knee before?"),
        Item(
            "diagnosed_arthritis",
            BOOLEAN,
            ACTIVITY,
            "Has a doctor told you that this knee has arthritis?",
        ),
        Item(
            "weekly_distance_km",
            INTEGER,
            ACTIVITY,
            "About how far do you run in a normal week, in kilometers?",
            required=False,
            min_value=0,
            max_value=300,
            help_text="1 mile is about 1.6 kilometers. Leave it blank if you are not sure.",
            # Stored in km (the contract); asked in miles where the clinic's DISTANCE_UNIT is mi.
            asked_in=(
                AskedIn(
                    "mi",
                    "About how many miles do you run in a normal week?",
                    "Leave it blank if you are not sure.",
                    max_value=186,  # 300 km
                    stored_per_unit=1.609344,
                ),
            ),
        ),
        Item(
            "goal",
            TEXT,
            ACTIVITY,
            "What would you like to get back to doing?",
            required=False,
            max_length=1000,
            help_text="For example: running a 10K this spring, or playing soccer with my kids.",
        ),
    ),
)
