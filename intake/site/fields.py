"""Form fields derived from the questionnaire declaration (`intake.questionnaire`), and the
layout pieces the intake's forms share.

Forms parse what the browser sends; these helpers turn their cleaned data into questionnaire
answers (dropping the answers to questions whose enable condition is false, as the contract
says a hidden item is absent).

Fields are built once per form class, so everything a patient reads on them is lazy: the
declaration's wording (`Text`) and the messages here are said in the language of the page
that renders them, not the one active when the class was built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from intake.questionnaire import AskedIn, EnableWhen, Item, ItemType, Questionnaire
from intake.questionnaire.engine import ANSWER_NO, ANSWER_YES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# One lazy class for all the wording: Django's lazystr() builds a new proxy class, with a
# wrapper for each of str's methods, on every call (some 20 KiB each: about 3 MiB of every
# web worker for the questionnaire's fields and options).
_lazy_str = lazy(str, str)


def lazy_text(text: object) -> _StrPromise:
    """What `lazystr(text)` gives (``str(text)``, said when read), without a class per call."""
    # django-stubs type lazy(f) as f itself: what it makes is the promise lazystr() is typed as.
    return cast("_StrPromise", _lazy_str(text))


# Form values of a yes/no question: radios, so "no" is an answer and not a default.
YES, NO = "true", "false"
YES_NO = ((YES, lazy_text(ANSWER_YES)), (NO, lazy_text(ANSWER_NO)))
# After the label of a question that may be left unanswered (`summary_of` takes it off again).
OPTIONAL = _("(optional)")
# The date of birth, as the patient types it and reads it back (US order).
DATE_OF_BIRTH_FORMAT = "%m/%d/%Y"
DATE_OF_BIRTH_HINT = "MM/DD/YYYY"
DATE_OF_BIRTH_EXAMPLE = "05/17/1990"

# A 0-10 scale is quicker to answer as a row of radios than as a number box.
MAX_RADIO_SCALE = 11


class _DeclaredChoices:
    """A choice field whose choices come from the declaration, the same for every form: a
    form's copy of it shares them. Django deep-copies a choice field's choices for every
    form it builds, half the cost of building a step's form; nothing changes them."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return forms.Field.__deepcopy__(self, memo)  # type: ignore[type-var]


class ChoiceField(_DeclaredChoices, forms.ChoiceField):
    pass


class TypedChoiceField(_DeclaredChoices, forms.TypedChoiceField):
    pass


class MultipleChoiceField(_DeclaredChoices, forms.MultipleChoiceField):
    pass


def _coerce_yes(value: str) -> bool:
    return value == YES


def field_for(item: Item, asked: AskedIn | None = None) -> forms.Field:
    """The form field for one questionnaire item (asked in another unit with `asked`).

    A question that is only sometimes shown is optional here: whether it must be answered
    depends on other answers, so `QuestionStepForm.clean` checks it with `validate`.
    """
    required = item.required and not item.enable_when
    optional = not item.required and not item.enable_when
    text = lazy_text(asked.text if asked else item.text)
    help_text = asked.help_text if asked else item.help_text
    common: dict[str, Any] = {
        "label": format_lazy("{} {}", text, OPTIONAL) if optional else text,
        "help_text": lazy_text(help_text) if help_text else "",
        "required": required,
        "error_messages": {
            "required": _("Please choose at least one answer.")
            if item.type == ItemType.MULTI
            else _("Please answer this question."),
            "invalid_choice": _("Please choose one of the answers shown."),
        },
    }
    match item.type:
        case ItemType.BOOLEAN:
            return TypedChoiceField(
                choices=YES_NO,
                coerce=_coerce_yes,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        case ItemType.CHOICE:
            return ChoiceField(
                choices=[(option.code, lazy_text(option.text)) for option in item.options],
                widget=forms.RadioSelect,
                **common,
            )
        case ItemType.MULTI:
            common["error_messages"]["invalid_choice"] = _("Please choose from the answers shown.")
            return MultipleChoiceField(
                choices=[(option.code, lazy_text(option.text)) for option in item.options],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        case ItemType.INTEGER:
            low = item.min_value or 0
            high = asked.max_value if asked else item.max_value or 0
            if high - low < MAX_RADIO_SCALE:
                return TypedChoiceField(
                    choices=[(str(n), str(n)) for n in range(low, high + 1)],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    **common,
                )
            out_of_range = format_lazy(
                _("Please enter a number from {low} to {high}."), low=low, high=high
            )
            common["error_messages"].update(
                invalid=_("Please enter a whole number."),
                min_value=out_of_range,
                max_value=out_of_range,
            )
            return forms.IntegerField(
                min_value=low,
                max_value=high,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **common,
            )
        case ItemType.TEXT:
            common["error_messages"]["max_length"] = _(
                "Please shorten this to %(limit_value)d characters or fewer "
                "(it has %(show_value)d)."
            )
            return forms.CharField(
                max_length=item.max_length,
                widget=forms.Textarea(attrs={"rows": 3}),
                **common,
            )
    raise ValueError(f"no field for item type {item.type}")  # pragma: no cover


def answer_from(item: Item, value: object) -> object | None:
    """A cleaned form value as a questionnaire answer; None means not answered."""
    if item.type == ItemType.MULTI:
        return list(value) if isinstance(value, list | tuple) else []
    if value is None or value == "":
        return None
    return value


def answers_from(
    items: Iterable[Item], cleaned: Mapping[str, object], earlier: Mapping[str, object]
) -> dict[str, object]:
    """The answers to `items`, leaving out every item its enable condition hides.

    `earlier` holds the answers of the steps before, which conditions may refer to.
    """
    answers: dict[str, object] = {}
    for item in items:
        if not item.is_enabled({**earlier, **answers}):
            continue
        value = answer_from(item, cleaned.get(item.link_id))
        if value is not None:
            answers[item.link_id] = value
    return answers


def form_value(item: Item, answer: object) -> list[str]:
    """How `answer` to `item` looks as submitted form values (for the enable-condition script)."""
    if item.type == ItemType.BOOLEAN:
        return [YES if answer else NO]
    return [str(answer)]


def enable_rule(
    questionnaire: Questionnaire,
    condition: tuple[EnableWhen, ...],
    field_name: Callable[[str], str],
    *,
    many: bool = False,
) -> tuple[str, str]:
    """For items shown only under `condition`: the `data-enable-when` JSON the script reads
    (form field names and the values that show the items), and the note a patient without
    JavaScript sees instead, in the active language."""
    rules = []
    notes = []
    for cond in condition:
        question = questionnaire.by_link_id[cond.question]
        rules.append(
            {"name": field_name(cond.question), "values": form_value(question, cond.answer)}
        )
        notes.append(
            gettext("“%(answer)s” to “%(question)s”")
            % {"answer": question.answer_text(cond.answer), "question": question.text}
        )
    answers = notes[0]
    for note in notes[1:]:
        answers = gettext("%(first)s and %(then)s") % {"first": answers, "then": note}
    if many:
        note = gettext("Only answer these questions if you answered %(answers)s")
    else:
        note = gettext("Only answer this question if you answered %(answers)s")
    return json.dumps(rules), note % {"answers": answers}


class Rendered:
    """Markup already rendered, as a layout piece (crispy's HTML compiles it as a template
    again on every render: nine times on the safety check)."""

    def __init__(self, html: str) -> None:
        self.html = html

    def render(self, form: Any, context: Any, **kwargs: Any) -> str:
        return self.html


# (form class, prefix, language) -> its helper. A layout names fields and holds fixed markup,
# nothing of one patient's (what depends on the answers is worked out when it renders), so one
# serves every form of the class; its markup (notes, hints) is in one language, hence one each.
_HELPERS: dict[tuple[type[Any], str | None, str | None], FormHelper] = {}


def shared_helper(form: Any, layout: Callable[[], Layout]) -> FormHelper:
    """The form's helper, its layout built the first time a form of this class renders in
    the active language."""
    key = (type(form), form.prefix, get_language())
    helper = _HELPERS.get(key)
    if helper is None:
        helper = _HELPERS[key] = form_helper(layout())
    return helper


def form_helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def conditional(field_names: list[Any], rule: str, note: str) -> Div:
    """A group shown by the script only while `rule` holds; without script, a note says when."""
    return Div(
        Rendered(format_html('<p class="conditional-note">{}:</p>', note)),
        *field_names,
        css_class="conditional",
        data_enable_when=rule,
    )
