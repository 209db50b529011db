"""The forms of the patient's intake. Steps 1 to 3 are derived from the questionnaire
declaration; step 4 from the models; step 5 is the consent."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from itertools import groupby
from typing import Any, ClassVar

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Model
from django.utils import timezone
from django.utils.html import format_html

from intake import questionnaire
from intake.flow import answers_from, enable_rule, field_for
from intake.models import (
    AppointmentRequest,
    ContactMethod,
    Location,
    Patient,
    Payment,
    ReferralSource,
    Therapist,
    TimeOfDay,
)
from intake.questionnaire import KNEE_V1, AnswersInvalid, Item, ItemType, Step
from intake.services import PatientDetails, RequestDetails, age_on

PAIN_LOCATION = "pain_location"
KNEE_DIAGRAM = "intake/includes/knee_diagram.html"


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def _conditional(field_names: list[Any], rule: str, note: str) -> Div:
    """A group shown by the script only while `rule` holds; without script, a note says when."""
    return Div(
        HTML(format_html('<p class="conditional-note">{}:</p>', note)),
        *field_names,
        css_class="conditional",
        data_enable_when=rule,
    )


class QuestionStepForm(forms.Form):
    """One step of questionnaire items. `answers` holds the answers once the form is valid,
    without the items hidden by their enable condition."""

    step: ClassVar[Step]
    items: ClassVar[tuple[Item, ...]]

    def __init__(self, *args: Any, earlier: Mapping[str, object] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.earlier = dict(earlier or {})
        self.answers: dict[str, object] = {}
        self.helper = _helper(Layout(*self._layout()))

    def _layout(self) -> list[Any]:
        """Each item in order; items shown under the same condition grouped under one note."""
        layout: list[Any] = []
        for condition, group in groupby(self.items, key=lambda item: item.enable_when):
            shown = [self._shown(item) for item in group]
            if not condition:
                layout.extend(shown)
                continue
            rule, note = enable_rule(KNEE_V1, condition, self.add_prefix, many=len(shown) > 1)
            layout.append(_conditional(shown, rule, note))
        return layout

    def _shown(self, item: Item) -> Any:
        if item.link_id == PAIN_LOCATION:
            # The knee diagram ticks these checkboxes (contract with knee-diagram.js).
            return Field(item.link_id, template="intake/fields/pain_location.html")
        if item.type == ItemType.BOOLEAN or (
            item.type == ItemType.INTEGER
            and isinstance(self.fields[item.link_id].widget, forms.RadioSelect)
        ):
            return InlineRadios(item.link_id)
        return item.link_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
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


def question_form(step: Step) -> type[QuestionStepForm]:
    """The form class of one questionnaire step, its fields derived from the declaration."""
    items = KNEE_V1.items_in(step)
    attrs: dict[str, Any] = {}
    for item in items:
        attrs[item.link_id] = field_for(item)
        attrs[item.link_id].item = item  # templates read the options (the knee diagram does)
    attrs.update(step=step, items=items)
    return type(f"{step.code.title()}Form", (QuestionStepForm,), attrs)


class AdviceForm(forms.Form):
    """The safety advice page: nothing to fill in, only the choice to go on."""


# --- step 4: about you --------------------------------------------------------------------------

PHONE_CHARACTERS = RegexValidator(
    r"^[0-9 +\-().]+$",
    "Please use only numbers, spaces and the signs + - ( ).",
)


def _max_length(model: type[Model], name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[return-value]


def _text(
    model: type[Model], name: str, label: str, *, required: bool = True, **kwargs: Any
) -> forms.CharField:
    """A text field as long as the model column allows."""
    limit = _max_length(model, name)
    widget = kwargs.pop("widget", None) or forms.TextInput()
    if autocomplete := kwargs.pop("autocomplete", None):
        widget.attrs["autocomplete"] = autocomplete
    return forms.CharField(
        widget=widget,
        label=label,
        max_length=limit,
        required=required,
        error_messages={
            "required": kwargs.pop("required_message", "Please fill this in."),
            "max_length": f"Please shorten this to {limit} characters or fewer.",
        },
        **kwargs,
    )


def _radios(choices: Any, label: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose one.",
            "invalid_choice": "Please choose one of the answers shown.",
        },
        **kwargs,
    )


class TherapistChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Therapist) -> str:  # type: ignore[override]
        sites = ", ".join(location.name for location in obj.locations.all())
        return f"{obj} ({sites})" if sites else str(obj)


class AboutForm(forms.Form):
    first_name = _text(Patient, "first_name", "First name", autocomplete="given-name")
    last_name = _text(Patient, "last_name", "Last name", autocomplete="family-name")
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="For example, 17 May 1990.",
        error_messages={
            "required": "Please enter your date of birth.",
            "invalid": "Please enter a real date, for example 1990-05-17.",
        },
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=_max_length(Patient, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please enter your e-mail address.",
            "invalid": "Please enter an e-mail address like name@example.com.",
        },
    )
    phone = _text(
        Patient,
        "phone",
        "Phone number",
        validators=[PHONE_CHARACTERS],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        required_message="Please enter a phone number we can call.",
    )
    preferred_contact = _radios(ContactMethod.choices, "How should we contact you?")
    preferred_language = _text(
        Patient, "preferred_language", "Which language would you like to use?", initial="English"
    )
    location = forms.ModelChoiceField(
        label="Which clinic would you like to visit?",
        queryset=Location.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Please choose a clinic.",
            "invalid_choice": "Please choose one of the clinics shown.",
        },
    )
    preferred_times = forms.MultipleChoiceField(
        label="When can you come in? (optional)",
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose all that suit you. Leave them all empty if any time is fine.",
        error_messages={"invalid_choice": "Please choose from the times shown."},
    )
    therapist_preference = TherapistChoice(
        label="Would you like a particular therapist? (optional)",
        queryset=Therapist.objects.filter(accepting_new_patients=True)
        .select_related("user")
        .prefetch_related("locations"),
        required=False,
        empty_label="The first therapist available",
        error_messages={"invalid_choice": "Please choose one of the therapists shown."},
    )
    referral_source = _radios(ReferralSource.choices, "How did you hear about us?")
    referrer_name = _text(
        AppointmentRequest, "referrer_name", "Name of the person who referred you", required=False
    )
    referrer_practice = _text(
        AppointmentRequest, "referrer_practice", "Their practice or clinic", required=False
    )
    payment = _radios(Payment.choices, "How will you pay?")
    insurance_provider = _text(
        AppointmentRequest, "insurance_provider", "Insurance company", required=False
    )
    insurance_member_number = _text(
        AppointmentRequest, "insurance_member_number", "Member number", required=False
    )
    notes = _text(
        AppointmentRequest,
        "notes",
        "Anything else you would like us to know? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        referred = [code for code in ReferralSource.values if code != ReferralSource.SELF]
        self.helper = _helper(
            Layout(
                HTML('<h2 class="h4 mt-2">Your details</h2>'),
                "first_name",
                "last_name",
                "date_of_birth",
                "email",
                "phone",
                "preferred_contact",
                "preferred_language",
                HTML('<h2 class="h4 mt-4">Your appointment</h2>'),
                "location",
                "preferred_times",
                "therapist_preference",
                "referral_source",
                self._when(
                    "referral_source",
                    referred,
                    ["referrer_name", "referrer_practice"],
                    "Only fill these in if someone referred you",
                ),
                "payment",
                self._when(
                    "payment",
                    [Payment.INSURANCE],
                    ["insurance_provider", "insurance_member_number"],
                    "Only fill these in if you are paying with insurance",
                ),
                "notes",
            )
        )

    def _when(self, question: str, values: list[str], names: list[str], note: str) -> Div:
        rule = json.dumps([{"name": self.add_prefix(question), "values": values}])
        return _conditional(names, rule, note)

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born >= today:
            raise forms.ValidationError("Your date of birth must be in the past.")
        if age_on(born, today) not in questionnaire.AGE_RANGE:
            raise forms.ValidationError("Please check the year of your date of birth.")
        return born

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        digits = len(re.sub(r"\D", "", phone))
        if not 7 <= digits <= 20:
            raise forms.ValidationError("Please enter a phone number with 7 to 20 digits.")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Answers to hidden follow-up questions are dropped, as the questionnaire's are.
        if cleaned.get("referral_source") == ReferralSource.SELF:
            cleaned["referrer_name"] = cleaned["referrer_practice"] = ""
        elif cleaned.get("referral_source"):
            for name in ("referrer_name", "referrer_practice"):
                if name in cleaned and not cleaned[name].strip():
                    self.add_error(name, "Please fill this in, or choose “I found you myself”.")
        if cleaned.get("payment") == Payment.SELF_PAY:
            cleaned["insurance_provider"] = cleaned["insurance_member_number"] = ""
        elif cleaned.get("payment") == Payment.INSURANCE:
            for name in ("insurance_provider", "insurance_member_number"):
                if name in cleaned and not cleaned[name].strip():
                    self.add_error(name, "Please fill this in, or choose “Self-pay”.")
        therapist, location = cleaned.get("therapist_preference"), cleaned.get("location")
        if therapist and location and location not in therapist.locations.all():
            self.add_error(
                "therapist_preference",
                f"{therapist} does not work at {location}. Please choose another therapist "
                "or “The first therapist available”.",
            )
        return cleaned

    def patient_details(self) -> PatientDetails:
        data = self.cleaned_data
        return PatientDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
            preferred_contact=data["preferred_contact"],
            preferred_language=data["preferred_language"].strip() or "English",
        )

    def request_details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            location=data["location"],
            preferred_times=list(data["preferred_times"]),
            therapist_preference=data["therapist_preference"],
            referral_source=data["referral_source"],
            referrer_name=data["referrer_name"].strip(),
            referrer_practice=data["referrer_practice"].strip(),
            payment=data["payment"],
            insurance_provider=data["insurance_provider"].strip(),
            insurance_member_number=data["insurance_member_number"].strip(),
            notes=data["notes"].strip(),
        )


# --- step 5: check and send ------------------------------------------------------------------


class ReviewForm(forms.Form):
    consent_privacy = forms.BooleanField(
        label="I have read the privacy notice and agree that the clinic may use my answers "
        "to arrange my care.",
        error_messages={"required": "Please agree to the privacy notice so we can help you."},
    )
    consent_not_diagnosis = forms.BooleanField(
        label="I understand that these questions are not a diagnosis. A therapist will "
        "examine my knee.",
        error_messages={"required": "Please tick this box to show you understand."},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    # A trap for robots: hidden from people and screen readers, so only robots fill it in.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].error_messages["required"] = (
            "This page is out of date. Please go back to the start."
        )
        self.helper = _helper(
            Layout(
                HTML(
                    '<p>Read our <a href="{% url "intake:privacy" %}" target="_blank" '
                    'rel="noopener">privacy notice (opens in a new tab)</a>.</p>'
                ),
                "consent_privacy",
                "consent_not_diagnosis",
                "submission_token",
                Div("website", css_class="visually-hidden", aria_hidden="true"),
            )
        )

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))


# --- shared by the templates -----------------------------------------------------------------


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(link target, message) for the error summary at the top of a page, in field order."""
    links = []
    for message in form.non_field_errors():
        links.append(("#main", message))
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
            links.append((target, message if bound.is_hidden else joined))
    return links


def summary_of(form: forms.Form) -> list[tuple[str, str]]:
    """(question, answer) for every filled-in field of a valid form, in the patient's words."""
    rows = []
    for bound in form:
        value = form.cleaned_data.get(bound.name)
        if value in (None, "", []):
            continue
        field = bound.field
        if isinstance(value, date):
            text = value.strftime("%-d %B %Y")
        elif isinstance(value, list):
            labels = dict(field.choices)  # type: ignore[attr-defined]
            text = "; ".join(str(labels.get(code, code)) for code in value)
        elif isinstance(field, forms.ModelChoiceField):
            text = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        rows.append((str(bound.label).removesuffix(" (optional)"), text))
    return rows
