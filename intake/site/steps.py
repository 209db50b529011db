"""The patient's intake, page by page: the numbered steps of the progress list, the safety
advice page that only follows a yes, and the answers of a step in the patient's words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from conditions.rules import RedFlag
from intake.questionnaire import KNEE_V1, SAFETY, Step


@dataclass(frozen=True, slots=True)
class PageStep:
    """A numbered page of the intake as the patient sees it in the progress list."""

    code: str
    title: str
    intro: str = ""


ABOUT = PageStep(
    "about",
    "About you",
    "How we can reach you, and where and when you would like to come in.",
)
CHECK = PageStep(
    "check",
    "Check and send",
    "Please check your answers. You can change any of them before you send your request.",
)
# The safety advice page sits between step 1 and step 2 and only shows after a yes.
ADVICE = "advice"
QUESTION_STEPS: tuple[Step, ...] = KNEE_V1.steps
PAGE_STEPS: tuple[PageStep, ...] = (
    *(PageStep(step.code, step.title, step.intro) for step in QUESTION_STEPS),
    ABOUT,
    CHECK,
)


def page_number(step_code: str) -> int:
    """1-based position in the progress list; the advice page counts as part of step 1."""
    if step_code == ADVICE:
        return 1
    return next(i for i, page in enumerate(PAGE_STEPS, start=1) if page.code == step_code)


def safety_red_flags(answers: Mapping[str, object]) -> tuple[RedFlag, ...]:
    """The red flags raised by the safety-check answers given so far."""
    return tuple(
        flag
        for item in KNEE_V1.items_in(SAFETY)
        if (flag := item.red_flag) is not None and answers.get(item.link_id) is True
    )


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    question: str
    answer: str


def shown_answers(step: Step, answers: Mapping[str, object]) -> list[ShownAnswer]:
    """The questions of `step` the patient was asked, with their answers."""
    return [
        ShownAnswer(item.text, item.answer_text(answers.get(item.link_id)))
        for item in KNEE_V1.items_in(step)
        if item.is_enabled(answers)
    ]
