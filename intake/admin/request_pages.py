"""The front desk's moves on a request, from the board (bulk actions) and from the request
page: mark contacted or no response, schedule, cancel with a reason. Each calls one service
in `intake/services/requests.py`; a move the lifecycle refuses is a message, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from intake.admin.presenters import preferred_times
from intake.models import CANCEL_REASON_LIMIT, AppointmentRequest
from intake.services.requests import (
    request_cancel,
    request_mark_contacted,
    request_mark_no_response,
)

RequestAdmin = admin.ModelAdmin  # the request board's ModelAdmin, as these pages use it


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=CANCEL_REASON_LIMIT,
        help_text="The patient is told this reason.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


# --- bulk actions on the board ---


def _each(
    model_admin: RequestAdmin,
    request: HttpRequest,
    queryset: QuerySet[AppointmentRequest],
    service: Callable[..., None],
    done: str,
) -> None:
    moved = 0
    for appointment_request in queryset:
        try:
            service(appointment_request=appointment_request)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            moved += 1
    if moved:
        model_admin.message_user(request, f"{moved} request(s) {done}.", messages.SUCCESS)


@admin.action(description="Mark contacted", permissions=["change"])
def mark_contacted(
    model_admin: RequestAdmin, request: HttpRequest, queryset: QuerySet[AppointmentRequest]
) -> None:
    _each(model_admin, request, queryset, request_mark_contacted, "marked contacted")


@admin.action(description="Mark no response", permissions=["change"])
def mark_no_response(
    model_admin: RequestAdmin, request: HttpRequest, queryset: QuerySet[AppointmentRequest]
) -> None:
    _each(model_admin, request, queryset, request_mark_no_response, "marked no response")


def _one(
    model_admin: RequestAdmin,
    request: HttpRequest,
    queryset: QuerySet[AppointmentRequest],
    view: str,
) -> HttpResponse | None:
    ids = list(queryset.values_list("pk", flat=True)[:2])
    if len(ids) != 1:
        model_admin.message_user(request, "Select exactly one request for this.", messages.WARNING)
        return None
    return HttpResponseRedirect(reverse(f"admin:intake_appointmentrequest_{view}", args=ids))


@admin.action(description="Schedule…", permissions=["change"])
def schedule(
    model_admin: RequestAdmin, request: HttpRequest, queryset: QuerySet[AppointmentRequest]
) -> HttpResponse | None:
    return _one(model_admin, request, queryset, "schedule")


@admin.action(description="Cancel with a reason…", permissions=["change"])
def cancel(
    model_admin: RequestAdmin, request: HttpRequest, queryset: QuerySet[AppointmentRequest]
) -> HttpResponse | None:
    return _one(model_admin, request, queryset, "cancel")


# --- the request's own pages ---


def request_to_change(model_admin: RequestAdmin, request: HttpRequest, pk: int) -> Any:
    """The request `pk` from the board's rows, once the user may act on it."""
    appointment_request = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_change_permission(request, appointment_request):
        raise PermissionDenied
    return appointment_request


def request_page_url(appointment_request: AppointmentRequest) -> str:
    return reverse("admin:intake_appointmentrequest_change", args=[appointment_request.pk])


def form_page(
    model_admin: RequestAdmin,
    request: HttpRequest,
    appointment_request: AppointmentRequest,
    form: forms.Form,
    title: str,
    submit: str,
) -> TemplateResponse:
    """A page with one form about the request, under the patient's contact details."""
    return TemplateResponse(
        request,
        "admin/intake/appointmentrequest/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": appointment_request,
            "title": title,
            "form": form,
            "submit": submit,
            "preferred_times": preferred_times(appointment_request),
            "media": model_admin.media + form.media,
            "change_url": request_page_url(appointment_request),
        },
    )


def schedule_page(model_admin: RequestAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    """Booking is picking a free time on the scheduling calendar (named by URL: intake
    does not import scheduling)."""
    appointment_request = request_to_change(model_admin, request, pk)
    return HttpResponseRedirect(
        reverse(settings.REQUEST_SCHEDULE_URL_NAME, args=[appointment_request.pk])
    )


def contacted_page(model_admin: RequestAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    """ "Mark contacted" from the request page (a POST); back to the request page."""
    appointment_request = request_to_change(model_admin, request, pk)
    if request.method == "POST":
        try:
            request_mark_contacted(appointment_request=appointment_request)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            model_admin.message_user(
                request, f"{appointment_request.reference} is marked contacted.", messages.SUCCESS
            )
    return HttpResponseRedirect(request_page_url(appointment_request))


def cancel_page(model_admin: RequestAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    appointment_request = request_to_change(model_admin, request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_cancel(
                appointment_request=appointment_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.message_user(
                request,
                f"{appointment_request.reference} is cancelled; the patient will be told.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:intake_appointmentrequest_changelist"))
    return form_page(
        model_admin,
        request,
        appointment_request,
        form,
        f"Cancel {appointment_request.reference} ({appointment_request.patient})",
        "Cancel the request",
    )
