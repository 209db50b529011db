"""The forms of the patient's intake: the questionnaire steps (derived from the declaration),
the safety advice page, and the last step's consent. Step 4, the patient's details, is in
`intake.site.about`."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from itertools import groupby
from typing import Any, ClassVar, cast

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from intake import questionnaire
from intake.advice import flag_advice
from intake.questionnaire import (
    KNEE_V1,
    SAFETY,
    AnswersInvalid,
    AskedIn,
    Item,
    ItemType,
    Step,
)
from intake.questionnaire.engine import ANSWER_YES
from intake.site.fields import (
    DATE_OF_BIRTH_FORMAT,
    NO,
    OPTIONAL,
    YES,
    Rendered,
    answers_from,
    conditional,
    enable_rule,
    field_for,
    shared_helper,
)

PAIN_LOCATION = "pain_location"


class InlineAdvice:
    """The advice a yes to a safety question shows under it at once (intake.js): rendered
    once per question, prefix, shown-or-not and language, as nothing else in it changes."""

    _rendered: ClassVar[dict[tuple[str, str, bool, str | None], str]] = {}

    def __init__(self, item: Item) -> None:
        self.item = item

    def render(self, form: forms.Form, context: Any, **kwargs: Any) -> str:
        item, flag = self.item, self.item.red_flag
        assert flag is not None
        field = form.add_prefix(item.link_id)
        shown = str(form[item.link_id].value()) == YES
        key = (item.link_id, field, shown, get_language())
        if key not in self._rendered:
            self._rendered[key] = render_to_string(
                "intake/includes/inline_advice.html",
                {
                    "level": flag.triage.value,
                    "reason": flag_advice(flag.code),
                    "rule": json.dumps([{"name": field, "values": [YES]}]),
                    "shown": shown,
                    "emergency_number": settings.EMERGENCY_NUMBER,
                },
            )
        return self._rendered[key]


class QuestionStepForm(forms.Form):
    """One step of questionnaire items. `answers` holds the answers once the form is valid,
    without the items hidden by their enable condition."""

    step: ClassVar[Step]
    items: ClassVar[tuple[Item, ...]]

    def __init__(self, *args: Any, earlier: Mapping[str, object] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.earlier = dict(earlier or {})
        self.answers: dict[str, object] = {}
        # A number asked in the clinic's unit (DISTANCE_UNIT) rather than the stored one.
        self.asked_in: dict[str, AskedIn] = {}
        for item in self.items:
            if (asked := item.asked_in_unit(settings.DISTANCE_UNIT)) is not None:
                self.asked_in[item.link_id] = asked
                field: Any = field_for(item, asked)
                field.item = item
                self.fields[item.link_id] = field

    def blank_markup_key(self) -> Hashable:
        """What a blank form's markup depends on besides its class, prefix and language
        (`{% intake_form %}` renders it once for each)."""
        return settings.DISTANCE_UNIT

    @property
    def helper(self) -> FormHelper:
        # Built when a page first renders a form of this step, not for every form the wizard
        # validates; then shared (it names fields, nothing of one patient's).
        return shared_helper(self, lambda: Layout(*self._layout()))

    def _layout(self) -> list[Any]:
        """Each item in order; items shown under the same condition grouped under one note."""
        layout: list[Any] = []
        for condition, group in groupby(self.items, key=lambda item: item.enable_when):
            shown = [self._shown(item) for item in group]
            if not condition:
                layout.extend(shown)
                continue
            rule, note = enable_rule(KNEE_V1, condition, self.add_prefix, many=len(shown) > 1)
            layout.append(conditional(shown, rule, note))
        return layout

    def _shown(self, item: Item) -> Any:
        if item.red_flag is not None:
            return Div(InlineRadios(item.link_id), InlineAdvice(item))
        if item.link_id == PAIN_LOCATION:
            # The knee diagram ticks these checkboxes (contract with knee-diagram.js).
            return Field(item.link_id, template="intake/fields/pain_location.html")
        if item.type == ItemType.INTEGER and isinstance(
            self.fields[item.link_id].widget, forms.RadioSelect
        ):
            # A 0-10 scale: two even rows of boxes a finger can hit (site.css `.scale`).
            return InlineRadios(item.link_id, wrapper_class="scale")
        if item.type == ItemType.BOOLEAN:
            return InlineRadios(item.link_id)
        return item.link_id

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for link_id, asked in self.asked_in.items():
            if isinstance(cleaned.get(link_id), int):
                cleaned[link_id] = asked.stored(cleaned[link_id])  # stored in its own unit
        self.answers = answers_from(self.items, cleaned, self.earlier)
        try:
            # Age is asked later; only this step's items are judged here.
            questionnaire.validate({**self.earlier, **self.answers}, 30)
        except AnswersInvalid as invalid:
            for link_id, messages in invalid.errors.items():
                if link_id in self.fields and link_id not in self.errors:
                    for message in messages:
                        self.add_error(link_id, message)
        return cleaned


NONE_OF_THESE = "none_of_these"


class SafetyStepForm(QuestionStepForm):
    """The safety check, with a "None of these" box: it answers No to every question left
    unanswered (so each is still recorded as No). A Yes the patient chose stays a Yes and its
    advice still shows: the shortcut never answers over a given answer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix(NONE_OF_THESE)):
            data = QueryDict(mutable=True)
            data.update(self.data)
            for item in self.items:
                if not data.get(self.add_prefix(item.link_id)):
                    data[self.add_prefix(item.link_id)] = NO
            self.data = data

    def _layout(self) -> list[Any]:
        return [
            Div(
                Field(NONE_OF_THESE, aria_describedby=f"{self.add_prefix(NONE_OF_THESE)}-hint"),
                Rendered(
                    format_html(
                        '<p class="form-text" id="{}-hint">{}</p>',
                        self.add_prefix(NONE_OF_THESE),
                        gettext(
                            "Tick this if the answer to every question below is No. A question "
                            "you answer Yes still counts as Yes."
                        ),
                    )
                ),
                css_class="none-of-these",
            ),
            *super()._layout(),
        ]


def question_form(step: Step) -> type[QuestionStepForm]:
    """The form class of one questionnaire step, its fields derived from the declaration."""
    items = KNEE_V1.items_in(step)
    attrs: dict[str, Any] = {}
    for item in items:
        attrs[item.link_id] = field_for(item)
        attrs[item.link_id].item = item  # templates read the options (the knee diagram does)
    attrs.update(step=step, items=items)
    base: type[QuestionStepForm] = QuestionStepForm
    if step == SAFETY:
        base = SafetyStepForm
        attrs[NONE_OF_THESE] = forms.BooleanField(
            label=_("None of these apply to me"), required=False
        )
    return type(f"{step.code.title()}Form", (base,), attrs)


class AdviceForm(forms.Form):
    """The safety advice page: nothing to fill in, only the choice to go on."""


class CheckForm(forms.Form):
    consent_privacy = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the clinic may use my answers "
            "to arrange my care."
        ),
        error_messages={"required": _("Please agree to the privacy notice so we can help you.")},
    )
    consent_not_diagnosis = forms.BooleanField(
        label=_(
            "I understand that these questions are not a diagnosis. A therapist will "
            "examine my knee."
        ),
        error_messages={"required": _("Please tick this box to show you understand.")},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    # A trap for robots: hidden from people and screen readers, so only robots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].error_messages["required"] = _(
            "This page is out of date. Please go back to the start."
        )

    @property
    def helper(self) -> FormHelper:
        return shared_helper(self, self._layout)

    def _layout(self) -> Layout:
        return Layout(
            Rendered(
                format_html(
                    "<p>{}</p>",
                    format_html(
                        gettext(
                            'Read our <a href="{url}" target="_blank" rel="noopener">privacy '
                            "notice (opens in a new tab)</a>."
                        ),
                        url=reverse("intake:privacy"),
                    ),
                )
            ),
            "consent_privacy",
            "consent_not_diagnosis",
            Div("website", css_class="visually-hidden", aria_hidden="true"),
        )

    def blank_markup_key(self) -> Hashable:
        """Nothing but the language (`{% intake_form %}`): the page writes the one field that
        is the patient's own, the submission token, itself."""
        return ()

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(link target, message) for the error summary at the top of a page, in field order."""
    links = []
    for message in form.non_field_errors():
        links.append(("#main", str(message)))
    for bound in form:
        if not bound.errors:
            continue
        grouped = isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        target = f"#{bound.auto_id}_0" if grouped else f"#{bound.auto_id}"
        if bound.is_hidden:
            target = "#main"
        for message in bound.errors:
            label = str(bound.label)
            joined = f"{label} {message}" if label.endswith(("?", ".")) else f"{label}: {message}"
            links.append((target, str(message) if bound.is_hidden else joined))
    return links


def summary_of(form: forms.Form) -> list[tuple[str, str]]:
    """(question, answer) for every filled-in field of a valid form, in the patient's words."""
    rows = []
    for bound in form:
        value = form.cleaned_data.get(bound.name)
        if value in (None, "", []):
            continue
        field = bound.field
        if value is False:  # a box left unticked
            continue
        if value is True:
            text = str(ANSWER_YES)
        elif isinstance(value, date):
            text = value.strftime(DATE_OF_BIRTH_FORMAT)
        elif isinstance(field, forms.ModelChoiceField):
            text = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            choices = cast("Iterable[tuple[object, object]]", field.choices)
            labels = {str(code): str(label) for code, label in choices}
            codes = value if isinstance(value, list) else [value]
            text = "; ".join(labels.get(str(code), str(code)) for code in codes)
        else:
            text = str(value)
        rows.append((str(bound.label).removesuffix(f" {OPTIONAL}"), text))
    return rows
