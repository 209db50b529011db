"""The intake questionnaire `knee-v1`, declared once.

Every item of sections A (safety check) and B (about the knee pain) with its linkId, type,
options, enable condition, limits and patient wording, in the order patients see them. The
web form steps, validation, the admin display, the `prescreen` command and exports are all
derived from this declaration. The linkIds and option codes are a contract
(`shared/design/questionnaire.md`); the wording may be improved, the codes may not change.
A new version of the questionnaire is a new `Questionnaire`, never an edit of this one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import NoReturn, cast

from conditions.rules import ASKED_RED_FLAGS, RedFlag

AGE_RANGE = range(0, 121)

_RED_FLAGS_BY_CODE = {flag.code: flag for flag in ASKED_RED_FLAGS}


class ItemType(StrEnum):
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTI = "multi"
    INTEGER = "integer"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Step:
    """One page of the form; `section` is the letter in the questionnaire specification."""

    code: str
    section: str
    title: str
    intro: str


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class EnableWhen:
    """The item is shown only when `question` was answered `answer` (FHIR enableWhen, `=`)."""

    question: str
    answer: object


@dataclass(frozen=True, slots=True)
class Item:
    link_id: str
    type: ItemType
    step: Step
    text: str
    options: tuple[Option, ...] = ()
    # All conditions must hold (FHIR enableBehavior "all"); none means always shown.
    enable_when: tuple[EnableWhen, ...] = ()
    # A required multi needs at least one code; an optional one may be absent or empty.
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    help_text: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    @property
    def red_flag(self) -> RedFlag | None:
        """The red flag a `true` answer raises, for the items of the safety check."""
        return _RED_FLAGS_BY_CODE.get(self.link_id)

    def is_enabled(self, answers: Mapping[str, object]) -> bool:
        """Whether the item is shown, given the (valid) answers to the items before it."""
        return all(answers.get(cond.question) == cond.answer for cond in self.enable_when)

    def option_text(self, code: object) -> str:
        return next((option.text for option in self.options if option.code == code), str(code))

    def answer_text(self, answer: object) -> str:
        """An answer to this item as the patient would say it (review page, staff admin)."""
        if answer is None:
            return "Not answered"
        match self.type:
            case ItemType.BOOLEAN:
                return "Yes" if answer else "No"
            case ItemType.CHOICE:
                return self.option_text(answer)
            case ItemType.MULTI:
                codes = list(answer) if isinstance(answer, list | tuple) else []
                return "; ".join(self.option_text(code) for code in codes) or "None of these"
            case ItemType.INTEGER if self.min_value == 0 and self.max_value == 10:
                return f"{answer} out of 10"
        return str(answer)


class AnswersInvalid(ValueError):
    """An answer set with problems: `errors` maps each linkId (or "age") to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = dict(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{key}: {message}" for key, message in self.messages())

    def messages(self) -> list[tuple[str, str]]:
        return [(key, message) for key, messages in self.errors.items() for message in messages]


class ValidatedAnswers(dict[str, object]):
    """Answers that passed `validate`, read-only: only shown items, in declaration order,
    `multi` answers as tuples; `age` and the questionnaire `version` travel with them.

    A dict underneath, so the pre-screen reads it at full speed and it stores as JSON as is.
    """

    __slots__ = ("age", "version")

    def __init__(self, answers: Mapping[str, object], age: int, version: str) -> None:
        super().__init__(answers)
        self.age = age
        self.version = version

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("validated answers are read-only; validate a changed copy instead")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (dict(self), self.age, self.version))


@dataclass(frozen=True)
class Questionnaire:
    version: str
    steps: tuple[Step, ...]
    items: tuple[Item, ...]

    def __post_init__(self) -> None:
        # Validation reads enable conditions in one pass, so a condition must look back.
        seen: set[str] = set()
        for item in self.items:
            for cond in item.enable_when:
                if cond.question not in seen:
                    raise ValueError(
                        f"{item.link_id} depends on {cond.question}, declared after it"
                    )
            seen.add(item.link_id)

    @cached_property
    def by_link_id(self) -> Mapping[str, Item]:
        return MappingProxyType({item.link_id: item for item in self.items})

    def items_in(self, step: Step) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.step == step)

    def validate(self, answers: object, age: object) -> ValidatedAnswers:
        """Check a whole answer set and the age; raise `AnswersInvalid` with every problem.

        Rejects: answers that are not an object, unknown linkIds, values of the wrong type
        (a boolean is not an integer; `null` is never an answer), unknown or repeated option
        codes, a required item missing or (for `multi`) empty, an item present although its
        enable condition is false, integers out of range, text too long, and an age that is
        missing, not a whole number or outside 0 to 120.
        """
        errors: dict[str, list[str]] = {}
        if (problem := _age_problem(age)) is not None:
            errors["age"] = [problem]
        if not isinstance(answers, Mapping):
            errors["answers"] = [
                "The answers must be a JSON object mapping each question's linkId to its answer."
            ]
            raise AnswersInvalid(errors)

        for key in answers:
            if key not in self.by_link_id:
                errors.setdefault(str(key), []).append(
                    f"There is no question with this linkId in questionnaire {self.version}; "
                    "remove it or check the spelling."
                )

        cleaned: dict[str, object] = {}
        for item in self.items:
            # When a question this one depends on has a problem, whether it is shown is unknown:
            # report the root problem only, and still check the value's type.
            known = not any(cond.question in errors for cond in item.enable_when)
            shown = item.is_enabled(cleaned)
            if item.link_id not in answers:
                if known and shown and item.required:
                    errors[item.link_id] = ["Please answer this question."]
                continue
            if known and not shown:
                errors[item.link_id] = [self._not_shown_message(item)]
                continue
            value, problems = _clean(item, answers[item.link_id])
            if problems:
                errors[item.link_id] = problems
            else:
                cleaned[item.link_id] = value

        if errors:
            raise AnswersInvalid(errors)
        return ValidatedAnswers(cleaned, cast(int, age), self.version)

    def _not_shown_message(self, item: Item) -> str:
        conditions = " and ".join(
            f"“{self.by_link_id[cond.question].text}” is answered "
            f"“{self.by_link_id[cond.question].option_text(cond.answer)}” "
            f"({cond.question} = {cond.answer})"
            for cond in item.enable_when
        )
        return f"Leave this question out: it is only asked when {conditions}."


def _age_problem(age: object) -> str | None:
    expected = f"a whole number of years from {AGE_RANGE.start} to {AGE_RANGE.stop - 1}"
    if age is None:
        return f"The patient's age is missing: give {expected}."
    if isinstance(age, bool) or not isinstance(age, int):
        return f"The age must be {expected}, not {_shown(age)}."
    if age not in AGE_RANGE:
        return f"An age of {age} is out of range: give {expected}."
    return None


def _clean(item: Item, value: object) -> tuple[object, list[str]]:
    """The value as stored (a tuple for `multi`) and the problems with it, if any."""
    match item.type:
        case ItemType.BOOLEAN:
            if isinstance(value, bool):
                return value, []
            return value, [f"Answer yes or no (true or false), not {_shown(value)}."]
        case ItemType.CHOICE:
            if isinstance(value, str) and value in item.codes:
                return value, []
            return value, [
                f"Choose one of the answers ({', '.join(item.codes)}), not {_shown(value)}."
            ]
        case ItemType.MULTI:
            return _clean_multi(item, value)
        case ItemType.INTEGER:
            bounds = f"a whole number from {item.min_value} to {item.max_value}"
            if isinstance(value, bool) or not isinstance(value, int):
                return value, [f"Enter {bounds}, not {_shown(value)}."]
            if not item.min_value <= value <= item.max_value:  # type: ignore[operator]
                return value, [f"{value} is out of range: enter {bounds}."]
            return value, []
        case ItemType.TEXT:
            if not isinstance(value, str):
                return value, [f"Enter text, not {_shown(value)}."]
            if item.max_length is not None and len(value) > item.max_length:
                return value, [
                    f"Please shorten this to {item.max_length:,} characters or fewer "
                    f"(it has {len(value):,})."
                ]
            return value, []


def _clean_multi(item: Item, value: object) -> tuple[object, list[str]]:
    if not isinstance(value, list | tuple):
        return value, [
            f"Give a list of the answers that apply ({', '.join(item.codes)}), not {_shown(value)}."
        ]
    problems = []
    unknown = [code for code in value if not isinstance(code, str) or code not in item.codes]
    if unknown:
        problems.append(
            f"{', '.join(_shown(code) for code in unknown)} "
            f"{'is not one of the answers' if len(unknown) == 1 else 'are not among the answers'} "
            f"({', '.join(item.codes)})."
        )
    repeated = sorted({code for code in value if isinstance(code, str) and value.count(code) > 1})
    if repeated:
        problems.append(f"Choose each answer only once ({', '.join(repeated)} repeated).")
    if item.required and not value:
        problems.append("Choose at least one answer.")
    return tuple(value), problems


def _shown(value: object) -> str:
    """The value as JSON, shortened, so the message shows what was actually sent."""
    text = json.dumps(value, default=repr, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


# --- knee-v1 --------------------------------------------------------------------------------

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

VERSION = KNEE_V1.version
validate = KNEE_V1.validate
