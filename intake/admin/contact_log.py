"""The contact log on a request's page: the calls the front desk owes, every attempt to
reach the patient (who, when, how, what came of it, a short note), and the form that
records one. What it shows is contact, never clinical: the front desk reads it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone

from intake.admin.request_pages import RequestAdmin, form_page, request_page_url, request_to_change
from intake.models import (
    ATTEMPT_NOTE_LIMIT,
    AppointmentRequest,
    AttemptOutcome,
    CallTask,
    ContactMethod,
)
from intake.selectors.board import request_call_tasks, request_contact_attempts
from intake.services.contact import contact_attempt_record
from staff.input_guard import bounded_date
from staff.roles import staff_member

DATETIME_INPUT = "%Y-%m-%dT%H:%M"  # what a browser's datetime-local field sends


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(label="How", choices=ContactMethod.choices)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose…"), *AttemptOutcome.choices],
        error_messages={"required": "Choose what came of the attempt."},
    )
    made_at = forms.DateTimeField(
        label="When",
        required=False,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        validators=[bounded_date],
        help_text="Leave empty for now.",
        error_messages={"invalid": "Enter the date and time of the attempt."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=ATTEMPT_NOTE_LIMIT,
        help_text="For whoever calls next (“call back after 5pm”). Nothing about the knee or "
        "the patient's health: every staff member reads this.",
    )


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "D j M, G:i")


def _who(user: Any) -> str:
    if user is None:
        return "staff"
    return str(user.get_full_name() or user.get_username())


def call_lines(tasks: list[CallTask], *, now: Any = None) -> list[str]:
    """Each call, in the front desk's words: owed (from when, if later) or done (by whom)."""
    today = timezone.localdate(now)
    lines = []
    for task in tasks:
        if task.done_at is not None:
            lines.append(f"Done: {task.what} ({_who(task.done_by)}, {_when(task.done_at)})")
        elif task.due_on is not None and task.due_on > today:
            due = formats.date_format(task.due_on, "D j M")
            lines.append(f"Call the patient on {due}: {task.what}")
        else:
            lines.append(f"Call the patient: {task.what}")
    return lines


def contact_log_context(
    model_admin: RequestAdmin, request: HttpRequest, appointment_request: AppointmentRequest
) -> dict[str, Any]:
    """What the request page's contact panel shows; the form only to who may record."""
    attempts = [
        {
            "when": _when(attempt.made_at),
            "who": _who(attempt.made_by),
            "channel": attempt.get_channel_display(),
            "outcome": attempt.get_outcome_display(),
            "outcome_code": attempt.outcome,
            "note": attempt.note,
        }
        for attempt in request_contact_attempts(appointment_request)
    ]
    can_record = model_admin.has_change_permission(request, appointment_request)
    patient = appointment_request.patient
    return {
        "contact_attempts": attempts,
        "call_lines": call_lines(request_call_tasks(appointment_request)),
        "attempt_form": (
            ContactAttemptForm(initial={"channel": patient.preferred_contact})
            if can_record
            else None
        ),
        "attempt_url": reverse(
            "admin:intake_appointmentrequest_attempt", args=[appointment_request.pk]
        ),
    }


def contact_attempt_page(model_admin: RequestAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    """Record an attempt (the request page's panel posts here); back to the request page.
    Bad input is shown again with what to correct, on a page of its own."""
    appointment_request = request_to_change(model_admin, request, pk)
    form = ContactAttemptForm(
        request.POST or None, initial={"channel": appointment_request.patient.preferred_contact}
    )
    if request.method == "POST" and form.is_valid():
        try:
            attempt = contact_attempt_record(
                appointment_request=appointment_request,
                user=staff_member(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            said = f"{attempt.get_outcome_display()} ({attempt.get_channel_display()})".lower()
            model_admin.message_user(
                request, f"Recorded for {appointment_request.reference}: {said}.", messages.SUCCESS
            )
            return HttpResponseRedirect(request_page_url(appointment_request))
    return form_page(
        model_admin,
        request,
        appointment_request,
        form,
        f"Record a contact attempt for {appointment_request.reference} "
        f"({appointment_request.patient})",
        "Record the attempt",
    )
