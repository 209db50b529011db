"""Signed links in red-flag alert e-mails to the page that acknowledges the alert.

The link only names the alert: the page behind it is a staff page, so the recipient still
signs in (with two-factor where required), and acknowledging takes a press of a button, so a
mail scanner opening the link acknowledges nothing. The signature keeps anyone from making a
working link out of a guessed number.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from intake.models import RedFlagAlert

SALT = "intake.alert-acknowledge-link"
# Long past any alert's escalation: an old link still shows who acknowledged it.
ALERT_LINK_MAX_AGE = timedelta(days=30)


def acknowledge_token(alert: RedFlagAlert) -> str:
    return signing.dumps(alert.pk, salt=SALT)


def acknowledge_path(alert: RedFlagAlert) -> str:
    return reverse("admin:intake_redflagalert_acknowledge_link", args=[acknowledge_token(alert)])


def alert_pk_for_token(token: str) -> int | None:
    """The alert a token names, or None when it is forged, altered or expired."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=ALERT_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return pk if isinstance(pk, int) else None
