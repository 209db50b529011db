"""The patient website's pages outside the intake wizard: the home page, the privacy notice,
the confirmation after sending, and the signed status page with cancelling."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conditions.categories import Triage
from conditions.models import ConditionCategory
from intake.advice import flag_advice, promise_texts
from intake.models import (
    OPEN_STATUSES,
    PATIENT_CANCELLABLE,
    AlertStatus,
    AppointmentRequest,
    Location,
    RedFlagAlert,
    RequestStatus,
)
from intake.services.requests import request_cancel_by_patient
from intake.services.submission import CONSENT_VERSION
from intake.site.wizard import SENT_SESSION_KEY
from intake.status_links import (
    STATUS_LINK_MAX_AGE,
    request_for_status_token,
    status_path,
    status_token,
)


def home(request: HttpRequest) -> HttpResponse:
    """Who the clinic is, why runners' knees hurt, and the way into the intake."""
    context = {
        "categories": ConditionCategory.objects.only("name", "patient_summary"),
        "locations": Location.objects.filter(is_active=True).order_by("name"),
    }
    return render(request, "intake/home.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "consent_version": CONSENT_VERSION,
        "link_days": STATUS_LINK_MAX_AGE.days,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "code_minutes": settings.PATIENT_COPY_CODE_MINUTES,
        "record_years": settings.RECORD_RETENTION_YEARS,
    }
    return render(request, "intake/privacy.html", context)


@never_cache
def confirmation(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT_SESSION_KEY)
    appointment = (
        AppointmentRequest.objects.select_related("location", "intake")
        .filter(reference=reference)
        .first()
        if reference
        else None
    )
    if appointment is None:
        return render(request, "intake/session_expired.html")
    flags = appointment.intake.prescreen.get("red_flags", [])
    return render(
        request,
        "intake/confirmation.html",
        {
            "appointment": appointment,
            "triage": Triage(appointment.intake.triage),
            # This browser answered the questions: the reasons may be repeated to it.
            "advice_flags": [text for flag in flags if (text := flag_advice(flag["code"]))],
            "advice": _clinic_promise(appointment),
            "status_url": request.build_absolute_uri(status_path(appointment)),
            "status_token": status_token(appointment),
            "link_days": STATUS_LINK_MAX_AGE.days,
        },
    )


def _clinic_promise(appointment: AppointmentRequest) -> dict[str, object] | None:
    """What the clinic will do about the request's red-flag alert and by when, while nobody
    has contacted the patient about it yet."""
    alert = RedFlagAlert.objects.filter(intake_id=appointment.intake_id).first()
    if alert is None or alert.status in (AlertStatus.CONTACTED, AlertStatus.CLOSED):
        return None
    return promise_texts(
        level=alert.level,
        raised_at=alert.raised_at,
        now=timezone.now(),
        location_id=appointment.location_id,
    )


def _status_or_404(request: HttpRequest, token: str) -> AppointmentRequest | HttpResponse:
    appointment = request_for_status_token(token)
    if appointment is None:
        return render(
            request,
            "intake/status_invalid.html",
            {"link_days": STATUS_LINK_MAX_AGE.days},
            status=404,
        )
    return appointment


@never_cache
@require_http_methods(["GET", "HEAD"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    found = _status_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    # The advice of the level and when the clinic calls, while the request waits for that
    # call; never the reasons (whoever holds the link may read this page).
    advice = _clinic_promise(found)
    return render(
        request,
        "intake/status.html",
        {
            "appointment": found,
            "token": token,
            "statuses": RequestStatus,
            "can_cancel": found.status in PATIENT_CANCELLABLE,
            "advice": advice,
            "triage": advice["level"] if advice else "",
            "promise": advice is not None and found.status in OPEN_STATUSES,
            # Routine requests may pick a time online (scheduling's pages, by URL name).
            "book_online": found.status in OPEN_STATUSES and found.intake.triage == Triage.ROUTINE,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask "are you sure?" (GET), then cancel (POST)."""
    found = _status_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        if request_cancel_by_patient(appointment_request=found):
            messages.success(
                request, gettext("Your request is cancelled. We will not contact you.")
            )
        else:
            messages.info(request, gettext("This request can no longer be cancelled online."))
        return redirect("intake:status", token=token)
    if found.status not in PATIENT_CANCELLABLE:
        return redirect("intake:status", token=token)
    return render(request, "intake/status_cancel.html", {"appointment": found, "token": token})
