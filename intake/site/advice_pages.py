"""The advice pages of the intake wizard: which red flags each one shows, whether it comes
next, and what the patient has already seen.

- After the safety check: a yes on any question leads here at once, even with the other
  questions unanswered; the patient can still send their details, and is then asked the
  questions they skipped, with every answer given kept.
- After a later step whose answers raise one of the pre-screen's derived red flags (an
  X-ray may be needed, swelling within 2 hours of an injury, a first kneecap dislocation):
  its urgent advice, before the patient goes on.

An advice page the patient has gone on from is not shown again for the same red flags (on
the way forward after changing an answer); a new red flag shows its page again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol, TypeVar

from django.forms import Form
from django.utils import timezone

from conditions.rules import RedFlag
from intake.services.submission import age_on
from intake.site.steps import (
    ABOUT,
    ADVICE,
    ADVICE_AFTER,
    DERIVED_ADVICE,
    QUESTION_STEPS,
    SAFETY,
    derived_red_flags,
    safety_red_flags,
)

T = TypeVar("T")


class IntakeWizard(Protocol):
    """What these rules need of the wizard (intake.site.wizard.IntakeWizard)."""

    storage: Any

    def get_form(self, step: str | None = None, data: Any = None, files: Any = None) -> Any: ...

    def remember(self, name: str, compute: Callable[[], T]) -> T: ...

    def valid_form(self, step: str) -> Form | None: ...

    def step_answers(self, step: str) -> dict[str, object] | None: ...

    def about_given(self) -> AboutGiven | None: ...


class AboutGiven(Protocol):
    """What the rules need of the details step (intake.site.wizard.AboutGiven)."""

    @property
    def date_of_birth(self) -> date: ...


SEEN_KEY = "advice_seen"  # in the wizard's extra data: advice step -> flag codes seen


def safety_answers(wizard: IntakeWizard) -> dict[str, object]:
    """The safety answers given so far, even while some questions are still unanswered."""

    def given() -> dict[str, object]:
        if (valid := wizard.step_answers(SAFETY.code)) is not None:
            return dict(valid)
        data = wizard.storage.get_step_data(SAFETY.code)
        if data is None:
            return {}
        form = wizard.get_form(step=SAFETY.code, data=data)
        form.is_valid()  # the answers to the questions answered, whatever is missing
        return dict(form.answers)

    return wizard.remember("safety_given", given)


def safety_complete(wizard: IntakeWizard) -> bool:
    return wizard.step_answers(SAFETY.code) is not None


def _derived_through(wizard: IntakeWizard, step: str) -> dict[str, RedFlag]:
    """The derived red flags of the answers up to and including `step`, by code."""

    def raised() -> dict[str, RedFlag]:
        answers = dict(safety_answers(wizard))
        for question_step in QUESTION_STEPS:
            answers.update(wizard.step_answers(question_step.code) or {})
            if question_step.code == step:
                break
        age = None
        if step == ABOUT.code and (about := wizard.about_given()) is not None:
            age = age_on(about.date_of_birth, timezone.localdate())
        return {flag.code: flag for flag in derived_red_flags(answers, age)}

    return wizard.remember(f"derived_{step}", raised)


def advice_flags(wizard: IntakeWizard, advice_step: str) -> tuple[RedFlag, ...]:
    """The red flags an advice page shows: the safety check's yeses, or the derived flags
    that the step before it raised (and no step before that)."""
    if advice_step == ADVICE:
        return safety_red_flags(safety_answers(wizard))
    steps = list(DERIVED_ADVICE)
    index = steps.index(ADVICE_AFTER[advice_step])
    before = _derived_through(wizard, steps[index - 1]) if index else {}
    return tuple(
        flag for code, flag in _derived_through(wizard, steps[index]).items() if code not in before
    )


def advice_condition(advice_step: str) -> object:
    """formtools' condition for an advice page: shown when it has a red flag to show."""

    def shown(wizard: IntakeWizard) -> bool:
        return bool(advice_flags(wizard, advice_step))

    return shown


def advice_seen(wizard: IntakeWizard, advice_step: str) -> bool:
    """Whether the patient went on from this advice page with all its red flags shown."""
    seen = wizard.storage.extra_data.get(SEEN_KEY, {}).get(advice_step)
    if seen is None or wizard.storage.get_step_data(advice_step) is None:
        return False
    return {flag.code for flag in advice_flags(wizard, advice_step)} <= set(seen)


def mark_seen(wizard: IntakeWizard, advice_step: str) -> None:
    extra = dict(wizard.storage.extra_data)
    seen = dict(extra.get(SEEN_KEY, {}))
    seen[advice_step] = sorted(flag.code for flag in advice_flags(wizard, advice_step))
    extra[SEEN_KEY] = seen
    wizard.storage.extra_data = extra
