"""Step 4 of the intake, "About you": the patient's details and the appointment request,
its fields sized from the models."""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from clinic.languages import patient_language
from intake import questionnaire
from intake.models import (
    AppointmentRequest,
    ContactMethod,
    Intake,
    Location,
    Patient,
    Payment,
    ReferralSource,
    Therapist,
    TimeOfDay,
)
from intake.services.submission import PatientDetails, RequestDetails, age_on
from intake.site.fields import (
    DATE_OF_BIRTH_EXAMPLE,
    DATE_OF_BIRTH_FORMAT,
    DATE_OF_BIRTH_HINT,
    Rendered,
    conditional,
    shared_helper,
)
from notifications.sms import e164

PHONE_CHARACTERS = RegexValidator(
    r"^[0-9 +\-().]+$",
    _("Please use only numbers, spaces and the signs + - ( )."),
)


def _max_length(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is a column"
    assert field.max_length is not None, f"{name} has a maximum length"
    return field.max_length


def _text(
    model: type[Model], name: str, label: StrOrPromise, *, required: bool = True, **kwargs: Any
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
            "required": kwargs.pop("required_message", _("Please fill this in.")),
            "max_length": format_lazy(
                _("Please shorten this to {limit} characters or fewer."), limit=limit
            ),
        },
        **kwargs,
    )


def _radios(choices: Any, label: StrOrPromise, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose one."),
            "invalid_choice": _("Please choose one of the answers shown."),
        },
        **kwargs,
    )


OFFERED_SITES = Location.objects.filter(is_active=True)
OFFERED_THERAPISTS = Therapist.objects.filter(accepting_new_patients=True)


class TherapistChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Therapist) -> str:
        sites = ", ".join(location.name for location in obj.locations.all())
        return f"{obj} ({sites})" if sites else str(obj)


class AboutForm(forms.Form):
    first_name = _text(Patient, "first_name", _("First name"), autocomplete="given-name")
    last_name = _text(Patient, "last_name", _("Last name"), autocomplete="family-name")
    # One format everywhere (hint, error, check page), in US order; a text box, as a date
    # picker is slow for a birth year. ISO dates are accepted too, for browsers' autofill.
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        input_formats=[DATE_OF_BIRTH_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=DATE_OF_BIRTH_FORMAT, attrs={"autocomplete": "bday", "size": 10}
        ),
        help_text=format_lazy(
            _("Month, day, year: {hint}. For example, {example}."),
            hint=DATE_OF_BIRTH_HINT,
            example=DATE_OF_BIRTH_EXAMPLE,
        ),
        error_messages={
            "required": format_lazy(
                _("Please enter your date of birth as {hint}."), hint=DATE_OF_BIRTH_HINT
            ),
            "invalid": format_lazy(
                _("Please enter your date of birth as {hint}, for example {example}."),
                hint=DATE_OF_BIRTH_HINT,
                example=DATE_OF_BIRTH_EXAMPLE,
            ),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=_max_length(Patient, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter an e-mail address like name@example.com."),
        },
    )
    phone = _text(
        Patient,
        "phone",
        _("Phone number"),
        validators=[PHONE_CHARACTERS],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        required_message=_("Please enter a phone number we can call."),
    )
    preferred_contact = _radios(ContactMethod.choices, _("How should we contact you?"))
    sms_consent = forms.BooleanField(
        label=_("You may send text messages to this number about my request"),
        help_text=_("No health details, at most a few texts. Reply STOP at any time to stop them."),
        required=False,
    )
    # No question about the language: it is the one the patient reads the site in (the
    # switcher on every page), which `patient_details` records.
    location = forms.ModelChoiceField(
        label=_("Which clinic would you like to visit?"),
        queryset=OFFERED_SITES,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Please choose a clinic."),
            "invalid_choice": _("Please choose one of the clinics shown."),
        },
    )
    preferred_times = forms.MultipleChoiceField(
        label=_("When can you come in? (optional)"),
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose all that suit you. Leave them all empty if any time is fine."),
        error_messages={"invalid_choice": _("Please choose from the times shown.")},
    )
    therapist_preference = TherapistChoice(
        label=_("Would you like a particular therapist? (optional)"),
        queryset=OFFERED_THERAPISTS.select_related("user").prefetch_related("locations"),
        required=False,
        empty_label=_("The first therapist available"),
        error_messages={"invalid_choice": _("Please choose one of the therapists shown.")},
    )
    referral_source = _radios(ReferralSource.choices, _("How did you hear about us?"))
    referrer_name = _text(
        AppointmentRequest,
        "referrer_name",
        _("Name of the person who referred you"),
        required=False,
    )
    referrer_practice = _text(
        AppointmentRequest, "referrer_practice", _("Their practice or clinic"), required=False
    )
    referrer_email = forms.EmailField(
        label=_("Their e-mail (optional)"),
        required=False,
        max_length=_max_length(AppointmentRequest, "referrer_email"),
        error_messages={"invalid": _("Please enter an e-mail address like name@example.com.")},
    )
    referrer_may_be_told = forms.BooleanField(
        label=_("You may tell my doctor I contacted the clinic"),
        required=False,
        help_text=_(
            "We e-mail them that you contacted us, with your reference code and our phone "
            "number; nothing about your knee."
        ),
    )
    payment = _radios(Payment.choices, _("How will you pay?"))
    insurance_provider = _text(
        AppointmentRequest, "insurance_provider", _("Insurance company"), required=False
    )
    insurance_member_number = _text(
        AppointmentRequest, "insurance_member_number", _("Member number"), required=False
    )
    # Two boxes, as the front desk may read the first and only therapists the second.
    notes = _text(
        AppointmentRequest,
        "notes",
        _("Anything the front desk should know for booking? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Our front desk reads this, for example times you cannot come or help you "
            "need to get into the clinic. Please write about your knee in the next box."
        ),
    )
    knee_notes = _text(
        Intake,
        "knee_notes",
        _("Anything else about your knee? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your physical therapists read this, not the front desk."),
    )

    def blank_markup_key(self) -> Hashable:
        """What a blank form's markup depends on besides its class, prefix and language
        (`{% intake_form %}` renders it once for each): the sites and therapists offered,
        with what their labels show (a therapist's name, else username, and their sites:
        `TherapistChoice`)."""
        # Values, not the fields' choices: those build each model (and prefetch the
        # therapists' sites) through .iterator(), a server-side cursor on PostgreSQL.
        return (
            tuple(OFFERED_SITES.values_list("pk", "name")),
            tuple(
                OFFERED_THERAPISTS.order_by("pk", "locations__name").values_list(
                    "pk", "user__first_name", "user__last_name", "user__username", "locations__name"
                )
            ),
        )

    @property
    def helper(self) -> FormHelper:
        return shared_helper(self, self._layout)

    def _layout(self) -> Layout:
        referred = [code for code in ReferralSource.values if code != ReferralSource.SELF]
        return Layout(
            Rendered(format_html('<h2 class="h4 mt-2">{}</h2>', _("Your details"))),
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "preferred_contact",
            "sms_consent",
            Rendered(format_html('<h2 class="h4 mt-4">{}</h2>', _("Your appointment"))),
            "location",
            "preferred_times",
            "therapist_preference",
            "referral_source",
            self._when(
                "referral_source",
                referred,
                ["referrer_name", "referrer_practice", "referrer_email", "referrer_may_be_told"],
                _("Only fill these in if someone referred you"),
            ),
            "payment",
            self._when(
                "payment",
                [Payment.INSURANCE],
                ["insurance_provider", "insurance_member_number"],
                _("Only fill these in if you are paying with insurance"),
            ),
            "notes",
            "knee_notes",
        )

    def _when(self, question: str, values: list[str], names: list[str], note: Promise) -> Div:
        # The layout is built once per language (shared_helper): the note is said in it.
        rule = json.dumps([{"name": self.add_prefix(question), "values": values}])
        return conditional(names, rule, str(note))

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born.year < 1000:
            raise forms.ValidationError(
                gettext("Please enter the year with four digits, for example {example}.").format(
                    example=DATE_OF_BIRTH_EXAMPLE
                )
            )
        if born >= today:
            raise forms.ValidationError(gettext("Your date of birth must be in the past."))
        if age_on(born, today) not in questionnaire.AGE_RANGE:
            raise forms.ValidationError(gettext("Please check the year of your date of birth."))
        return born

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        digits = len(re.sub(r"\D", "", phone))
        if not 7 <= digits <= 20:
            raise forms.ValidationError(gettext("Please enter a phone number with 7 to 20 digits."))
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("preferred_contact") == ContactMethod.SMS and "phone" in cleaned:
            if not cleaned.get("sms_consent"):
                self.add_error(
                    "sms_consent",
                    gettext("To get text messages, please tick this box (or choose another way)."),
                )
            elif e164(cleaned["phone"], country_code=settings.SMS_COUNTRY_CODE) is None:
                self.add_error(
                    "phone", gettext("We cannot send texts to this number. Please check it.")
                )
        # Answers to hidden follow-up questions are dropped, as the questionnaire's are.
        if cleaned.get("referral_source") == ReferralSource.SELF:
            cleaned["referrer_name"] = cleaned["referrer_practice"] = ""
            cleaned["referrer_email"], cleaned["referrer_may_be_told"] = "", False
        elif cleaned.get("referrer_may_be_told") and not cleaned.get("referrer_email"):
            if "referrer_email" in cleaned:
                self.add_error(
                    "referrer_email",
                    _("To let them know, please enter their e-mail address (or untick the box)."),
                )
        elif cleaned.get("referral_source"):
            for name in ("referrer_name", "referrer_practice"):
                if name in cleaned and not cleaned[name].strip():
                    self.add_error(
                        name, gettext("Please fill this in, or choose “I found you myself”.")
                    )
        if cleaned.get("payment") == Payment.SELF_PAY:
            cleaned["insurance_provider"] = cleaned["insurance_member_number"] = ""
        elif cleaned.get("payment") == Payment.INSURANCE:
            for name in ("insurance_provider", "insurance_member_number"):
                if name in cleaned and not cleaned[name].strip():
                    self.add_error(name, gettext("Please fill this in, or choose “Self-pay”."))
        therapist, location = cleaned.get("therapist_preference"), cleaned.get("location")
        if therapist and location and location not in therapist.locations.all():
            self.add_error(
                "therapist_preference",
                gettext(
                    "{therapist} does not work at {location}. Please choose another therapist "
                    "or “The first therapist available”."
                ).format(therapist=therapist, location=location),
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
            sms_consent=data["sms_consent"],
            preferred_language=patient_language(translation.get_language()),
        )

    def knee_notes_given(self) -> str:
        """What the patient wrote about their knee (clinical, kept with the intake)."""
        return str(self.cleaned_data["knee_notes"]).strip()

    def request_details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            location=data["location"],
            preferred_times=list(data["preferred_times"]),
            therapist_preference=data["therapist_preference"],
            referral_source=data["referral_source"],
            referrer_name=data["referrer_name"].strip(),
            referrer_practice=data["referrer_practice"].strip(),
            referrer_email=data["referrer_email"],
            referrer_may_be_told=data["referrer_may_be_told"],
            payment=data["payment"],
            insurance_provider=data["insurance_provider"].strip(),
            insurance_member_number=data["insurance_member_number"].strip(),
            notes=data["notes"].strip(),
        )
