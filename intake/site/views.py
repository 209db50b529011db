"""The patient website's pages outside the intake wizard: the home page, the privacy notice,
the confirmation after sending, and the signed status page with cancelling and adding
documents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from conditions.categories import Triage
from conditions.models import ConditionCategory
from intake.advice import flag_advice, promise_texts
from intake.escalation import ALERT_LEVELS
from intake.models import (
    OPEN_STATUSES,
    PATIENT_CANCELLABLE,
    AlertStatus,
    AppointmentRequest,
    DocumentKind,
    Location,
    RedFlagAlert,
    RequestStatus,
)
from intake.selectors.documents import request_documents
from intake.services.documents import documents_may_be_added
from intake.services.requests import request_cancel_by_patient
from intake.services.submission import CONSENT_VERSION
from intake.site.documents import DocumentForm, DocumentSizeLimit, document_forms
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
        AppointmentRequest.objects.select_related("location", "intake", "patient")
        .defer("intake__answers")  # the page shows the pre-screen's advice, not the answers
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
    if appointment.intake.triage not in ALERT_LEVELS:
        return None  # only an urgent or emergency intake raises one, and triage never falls
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
    return _status_page(request, found, token)


def _status_page(
    request: HttpRequest,
    found: AppointmentRequest,
    token: str,
    bound: DocumentForm | None = None,
) -> HttpResponse:
    # The advice of the level and when the clinic calls, while the request waits for that
    # call; never the reasons (whoever holds the link may read this page).
    advice = _clinic_promise(found)
    can_add = documents_may_be_added(found)
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
            # What the patient sent (kinds and names, never a link to a file).
            "documents": request_documents(found),
            "document_forms": document_forms(found, token, bound) if can_add else [],
        },
        status=400 if bound is not None else 200,
    )


@never_cache
@csrf_exempt  # only so that the size limit is in place before the body is read: see below
@require_http_methods(["POST"])
def status_document(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """Add one document of ``kind`` (the status page's forms post here); the status page
    again, with what was wrong next to the form when the file is not accepted.

    The CSRF check reads the body, so it runs after the limit is set (as Django's
    documentation on upload handlers has it): a file past the limit is not written to disk."""
    limit = DocumentSizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _status_document(request, token, kind, limit)


@csrf_protect
def _status_document(
    request: HttpRequest, token: str, kind: str, limit: DocumentSizeLimit
) -> HttpResponse:
    found = _status_or_404(request, token)
    if isinstance(found, HttpResponse):
        return found
    if kind not in DocumentKind.values or not documents_may_be_added(found):
        return redirect("intake:status", token=token)
    form = DocumentForm(
        request.POST,
        request.FILES,
        kind=DocumentKind(kind),
        appointment_request=found,
        token=token,
    )
    if limit.exceeded:
        form.refuse_as_too_large()
    elif form.is_valid() and form.save():
        messages.success(
            request,
            gettext("Thank you. We have your %(kind)s.")
            % {"kind": str(DocumentKind(kind).label).lower()},
        )
        return redirect("intake:status", token=token)
    return _status_page(request, found, token, bound=form)


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
