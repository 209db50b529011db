"""Signed, expiring links to a request's status page: the patient's only way back in."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from intake.models import AppointmentRequest

SALT = "intake.status-link"
STATUS_LINK_MAX_AGE = timedelta(days=90)


def status_token(appointment_request: AppointmentRequest) -> str:
    return signing.dumps(appointment_request.reference, salt=SALT)


def status_path(appointment_request: AppointmentRequest) -> str:
    return reverse("intake:status", args=[status_token(appointment_request)])


def request_for_status_token(token: str) -> AppointmentRequest | None:
    """The request a token names, or None when it is forged, altered or expired."""
    try:
        reference = signing.loads(token, salt=SALT, max_age=STATUS_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return (
        AppointmentRequest.objects.select_related("location", "scheduled_therapist__user")
        .filter(reference=reference)
        .first()
    )
