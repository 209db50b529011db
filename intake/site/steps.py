"""The patient's intake, page by page: the numbered steps of the progress list, the advice
pages that only follow a red flag (after the safety check, and after a step whose answers
raise one of the pre-screen's derived red flags), and the answers of a step in the patient's
words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conditions.prescreen import prescreen
from conditions.rules import RedFlag
from intake.questionnaire import AGE_RANGE, KNEE_V1, SAFETY, Step
from intake.site.fields import lazy_text

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True, slots=True)
class PageStep:
    """A numbered page of the intake as the patient sees it in the progress list; its title
    and intro are lazy, said in the language of the page that shows them."""

    code: str
    title: _StrPromise
    intro: _StrPromise | str = ""


ABOUT = PageStep(
    "about",
    _("About you"),
    _("How we can reach you, and where and when you would like to come in."),
)
CHECK = PageStep(
    "check",
    _("Check and send"),
    _("Please check your answers. You can change any of them before you send your request."),
)
# The safety advice page sits between step 1 and step 2 and only shows after a yes.
ADVICE = "advice"
QUESTION_STEPS: tuple[Step, ...] = KNEE_V1.steps
PAGE_STEPS: tuple[PageStep, ...] = (
    *(PageStep(step.code, lazy_text(step.title), lazy_text(step.intro)) for step in QUESTION_STEPS),
    ABOUT,
    CHECK,
)
# After each later step whose answers raise a derived red flag (the knee's injury answers;
# the age, given in "About you", for the Ottawa rule), its advice page: "knee-advice", ...
DERIVED_ADVICE = {
    step: f"{step}-advice"
    for step in (*(s.code for s in QUESTION_STEPS if s != SAFETY), ABOUT.code)
}
# Each advice page, and the step it follows.
ADVICE_AFTER = {ADVICE: SAFETY.code, **{advice: step for step, advice in DERIVED_ADVICE.items()}}


def page_number(step_code: str) -> int:
    """1-based position in the progress list; an advice page counts as part of the step it
    follows."""
    step_code = ADVICE_AFTER.get(step_code, step_code)
    return next(i for i, page in enumerate(PAGE_STEPS, start=1) if page.code == step_code)


def safety_red_flags(answers: Mapping[str, object]) -> tuple[RedFlag, ...]:
    """The red flags raised by the safety-check answers given so far."""
    return tuple(
        flag
        for item in KNEE_V1.items_in(SAFETY)
        if (flag := item.red_flag) is not None and answers.get(item.link_id) is True
    )


_ASKED = frozenset(item.link_id for item in KNEE_V1.items_in(SAFETY))


def derived_red_flags(answers: Mapping[str, object], age: int | None) -> tuple[RedFlag, ...]:
    """The red flags the pre-screen derives from the answers given so far (not those the
    safety check asks), by its own rules. Before the age is known (it is asked in "About
    you"), only the flags raised at every age: the Ottawa rule's "55 or over" waits for it."""
    frozen = tuple(
        sorted(
            (key, tuple(value) if isinstance(value, list) else value)
            for key, value in answers.items()
        )
    )
    return _derived(frozen, age)


# Every page of the wizard asks again about the same answers: remember the last few.
@lru_cache(maxsize=512)
def _derived(answers: tuple[tuple[str, object], ...], age: int | None) -> tuple[RedFlag, ...]:
    given = dict(answers)
    if age is not None:
        return tuple(flag for flag in prescreen(given, age).red_flags if flag.code not in _ASKED)
    common: dict[str, RedFlag] | None = None
    for each_age in AGE_RANGE:
        raised = {
            flag.code: flag
            for flag in prescreen(given, each_age).red_flags
            if flag.code not in _ASKED and (common is None or flag.code in common)
        }
        common = raised
        if not common:
            break
    return tuple((common or {}).values())


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    question: str
    answer: str


def shown_answers(step: Step, answers: Mapping[str, object]) -> list[ShownAnswer]:
    """The questions of `step` the patient was asked, with their answers (a number asked in
    the clinic's unit, DISTANCE_UNIT, shown in it again), in the active language."""
    shown = []
    for item in KNEE_V1.items_in(step):
        if not item.is_enabled(answers):
            continue
        answer = answers.get(item.link_id)
        asked = item.asked_in_unit(settings.DISTANCE_UNIT)
        if asked is not None and isinstance(answer, int):
            shown.append(ShownAnswer(str(asked.text), str(asked.shown(answer))))
        else:
            shown.append(ShownAnswer(str(item.text), item.answer_text(answer)))
    return shown
