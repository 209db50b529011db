"""The questionnaire engine: items, their types and options, enable conditions (FHIR
``enableWhen``) and validation of a whole answer set. Content lives in its own modules
(`knee_v1`); the web form steps, validation, the admin display, the `prescreen` command and
any export are derived from a declaration. A new version of a questionnaire is a new
`Questionnaire`, never an edit of an old one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import NoReturn, cast

from django.utils.translation import get_language

from conditions.rules import ASKED_RED_FLAGS, RedFlag

AGE_RANGE = range(0, 121)

_RED_FLAGS_BY_CODE = {flag.code: flag for flag in ASKED_RED_FLAGS}


# The languages a wording is declared in besides English (Django language codes, as
# ``settings.LANGUAGES`` names them); a `Text` holds one translation for each.
TRANSLATED_LANGUAGES = ("es",)


@dataclass(frozen=True, slots=True)
class Text:
    """Patient wording, declared once with its translations: ``str()`` says it in the active
    language (Django's ``get_language()``), in English when that language has none.

    Staff pages, stored records and exports read ``en`` (or `in_language`) explicitly, so they
    stay in English whatever language a request arrives in.
    """

    en: str
    es: str

    def __str__(self) -> str:
        return self.in_language(get_language())

    def __bool__(self) -> bool:
        return bool(self.en)

    def in_language(self, language: str | None) -> str:
        """The wording in `language` (``en-us``, ``es``, ``es-mx``; None is English)."""
        if language is not None and language.split("-")[0].lower() == "es" and self.es:
            return self.es
        return self.en

    @property
    def translations(self) -> dict[str, str]:
        """Each translated language's wording (empty ones left out)."""
        return {language: wording for language, wording in (("es", self.es),) if wording}

    def format(self, **values: object) -> Text:
        """The wording with ``{name}`` placeholders filled in, in every language."""
        return Text(self.en.format(**values), es=self.es.format(**values))


NO_TEXT = Text("", es="")
# How the review page and the staff pages say an answer.
ANSWER_YES = Text("Yes", es="Sí")
ANSWER_NO = Text("No", es="No")
NOT_ANSWERED = Text("Not answered", es="Sin contestar")
NONE_CHOSEN = Text("None of these", es="Ninguna de estas")
OUT_OF_10 = Text("{answer} out of 10", es="{answer} de 10")
# The problems `validate` finds that a patient can meet on the form (the others concern what
# only a program sends: unknown linkIds, wrong JSON types, codes that are not offered).
PLEASE_ANSWER = Text("Please answer this question.", es="Por favor, conteste esta pregunta.")
CHOOSE_AT_LEAST_ONE = Text("Choose at least one answer.", es="Elija al menos una respuesta.")


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
    title: Text
    intro: Text


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    text: Text


@dataclass(frozen=True, slots=True)
class EnableWhen:
    """The item is shown only when `question` was answered `answer` (FHIR enableWhen, `=`)."""

    question: str
    answer: object


@dataclass(frozen=True, slots=True)
class AskedIn:
    """A number the patient may be asked in another unit than the one it is stored in (a
    distance stored in kilometres, asked in miles where the clinic says so): the wording in
    that unit, its upper limit, and how many stored units one of it is. The answer is stored
    converted, so the stored item and its code never change."""

    unit: str
    text: Text
    help_text: Text
    max_value: int
    stored_per_unit: float

    def stored(self, value: int) -> int:
        """A whole number in this unit, as the stored unit (rounded)."""
        return round(value * self.stored_per_unit)

    def shown(self, stored: int) -> int:
        """A stored answer, back in this unit (rounded)."""
        return round(stored / self.stored_per_unit)


@dataclass(frozen=True, slots=True)
class Item:
    link_id: str
    type: ItemType
    step: Step
    text: Text
    options: tuple[Option, ...] = ()
    # All conditions must hold (FHIR enableBehavior "all"); none means always shown.
    enable_when: tuple[EnableWhen, ...] = ()
    # A required multi needs at least one code; an optional one may be absent or empty.
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    help_text: Text = NO_TEXT
    # Other units the number may be asked in (`AskedIn`); by default, the stored unit.
    asked_in: tuple[AskedIn, ...] = ()

    def asked_in_unit(self, unit: str) -> AskedIn | None:
        return next((asked for asked in self.asked_in if asked.unit == unit), None)

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

    def option_text(self, code: object, language: str | None = None) -> str:
        """An option's wording in `language` (None: the active one); an unknown code as is."""
        found = next((option.text for option in self.options if option.code == code), None)
        return str(code) if found is None else _said(found, language)

    def answer_text(self, answer: object, language: str | None = None) -> str:
        """An answer to this item as the patient would say it, in `language` (None: the
        active one): the review page in the patient's language, staff pages in English."""
        if answer is None:
            return _said(NOT_ANSWERED, language)
        match self.type:
            case ItemType.BOOLEAN:
                return _said(ANSWER_YES if answer else ANSWER_NO, language)
            case ItemType.CHOICE:
                return self.option_text(answer, language)
            case ItemType.MULTI:
                codes = list(answer) if isinstance(answer, list | tuple) else []
                return "; ".join(self.option_text(code, language) for code in codes) or _said(
                    NONE_CHOSEN, language
                )
            case ItemType.INTEGER if self.min_value == 0 and self.max_value == 10:
                return _said(OUT_OF_10.format(answer=answer), language)
        return str(answer)

    def wordings(self) -> tuple[Text, ...]:
        """Every wording of the item a patient may read: question, help, options, units."""
        asked = tuple(wording for unit in self.asked_in for wording in (unit.text, unit.help_text))
        return (
            self.text,
            *((self.help_text,) if self.help_text else ()),
            *(option.text for option in self.options),
            *asked,
        )


def _said(text: Text, language: str | None) -> str:
    return str(text) if language is None else text.in_language(language)


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

    def wordings(self) -> tuple[Text, ...]:
        """Every wording a patient may read: each step's title and intro, then each item's."""
        return (
            *(wording for step in self.steps for wording in (step.title, step.intro)),
            *(wording for item in self.items for wording in item.wordings()),
        )

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
                    errors[item.link_id] = [str(PLEASE_ANSWER)]
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
            f"“{self.by_link_id[cond.question].text.en}” is answered "
            f"“{self.by_link_id[cond.question].option_text(cond.answer, 'en')}” "
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
        return f"An age of {_shown(age)} is out of range: give {expected}."
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
                return value, [f"{_shown(value)} is out of range: enter {bounds}."]
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
        problems.append(str(CHOOSE_AT_LEAST_ONE))
    return tuple(value), problems


_HUGE = 10**40


def _shown(value: object) -> str:
    """The value as JSON, shortened, so the message shows what was actually sent."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _HUGE:
        # Python refuses to turn an integer of over 4,300 digits into text (ValueError).
        return "a number with more than 40 digits"
    try:
        text = json.dumps(value, default=repr, ensure_ascii=False)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__} too large or deeply nested to show"
    return text if len(text) <= 40 else text[:37] + "..."
