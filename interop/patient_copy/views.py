"""The patient's copy, reached from their status page: ask for a code, type it, then read
the printable page or download the FHIR Bundle for the next ``PATIENT_COPY_ACCESS_MINUTES``."""

from __future__ import annotations

import json
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.network import client_ip
from intake.models import AppointmentRequest
from intake.status_links import STATUS_LINK_MAX_AGE, request_for_status_token
from interop.patient_copy.presenters import record_page
from interop.patient_copy.record import patient_record, patient_record_read
from interop.patient_copy.services import copy_code_check, copy_code_send


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
        error_messages={"required": gettext_lazy("Type the 6-digit code from the e-mail.")},
    )


def _grant_key(appointment_request: AppointmentRequest) -> str:
    return f"fhir-copy:{appointment_request.reference}"


def _request_or_404(request: HttpRequest, token: str) -> AppointmentRequest | HttpResponse:
    found = request_for_status_token(token)
    if found is None:
        return render(
            request,
            "intake/status_invalid.html",
            {"link_days": STATUS_LINK_MAX_AGE.days},
            status=404,
        )
    return found


def _granted(request: HttpRequest, appointment_request: AppointmentRequest) -> bool:
    until = request.session.get(_grant_key(appointment_request))
    return isinstance(until, int | float) and until > time.time()


def _context(appointment_request: AppointmentRequest, token: str) -> dict[str, object]:
    email = appointment_request.patient.email
    name, _at, domain = email.partition("@")
    return {
        "appointment": appointment_request,
        "token": token,
        # Enough to recognise the address, not enough to learn it from a forwarded link.
        "masked_email": f"{name[:1]}…@{domain}" if domain else "",
        "minutes": settings.PATIENT_COPY_CODE_MINUTES,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    """What the copy holds, and the button that e-mails a code (POST)."""
    found = _request_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    if _granted(request, found):
        return redirect("patient_copy:record", token=token)
    if request.method == "POST":
        if copy_code_send(appointment_request=found) is None:
            messages.error(
                request,
                gettext("We have sent several codes in the last hour. Please try again later."),
            )
            return redirect("patient_copy:start", token=token)
        return redirect("patient_copy:code", token=token)
    return render(request, "interop/patient_copy/start.html", _context(found, token))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def code(request: HttpRequest, token: str) -> HttpResponse:
    found = _request_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = copy_code_check(appointment_request=found, code=form.cleaned_data["code"])
        if check.accepted:
            request.session[_grant_key(found)] = (
                time.time() + settings.PATIENT_COPY_ACCESS_MINUTES * 60
            )
            return redirect("patient_copy:record", token=token)
        if check.tries_left:
            form.add_error(
                "code",
                ngettext(
                    "That code is not right. You can try %(count)d more time.",
                    "That code is not right. You can try %(count)d more times.",
                    check.tries_left,
                )
                % {"count": check.tries_left},
            )
        else:
            form.add_error(
                "code",
                gettext("This code no longer works. Ask for a new code and use the new one."),
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "interop/patient_copy/code.html",
        {**_context(found, token), "form": form},
        status=status,
    )


def _unlocked(request: HttpRequest, token: str) -> AppointmentRequest | HttpResponse:
    found = _request_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    if not _granted(request, found):
        messages.info(request, gettext("To see your record, first ask for a code."))
        return redirect("patient_copy:start", token=token)
    return found


@never_cache
@require_http_methods(["GET", "HEAD"])
def record(request: HttpRequest, token: str) -> HttpResponse:
    """The printable page."""
    found = _unlocked(request, token)
    if isinstance(found, HttpResponse):
        return found
    held = patient_record(appointment_request=found)
    patient_record_read(record=held, how="Patient's copy: page", remote_addr=client_ip(request))
    return render(
        request,
        "interop/patient_copy/record.html",
        {"token": token, "appointment": found, "page": record_page(held)},
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    """The same record as a FHIR Bundle (JSON), to keep or to give another clinic."""
    found = _unlocked(request, token)
    if isinstance(found, HttpResponse):
        return found
    held = patient_record(appointment_request=found)
    patient_record_read(record=held, how="Patient's copy: download", remote_addr=client_ip(request))
    response = HttpResponse(
        json.dumps(held.bundle(), ensure_ascii=False, indent=2),
        content_type="application/fhir+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{found.reference}.json"'
    return response
