"""How a patient may be reached: consent to text messages, given on the form and withdrawn
(or given again) by a reply to one of our texts."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from intake.models import Patient
from notifications.sms import e164


def patients_sms_consent_changed(*, number: str, subscribed: bool) -> int:
    """Record a STOP (``subscribed`` False) or START reply from ``number`` on every patient
    with that number (``SMS_CONSENT_HANDLER``); returns how many. A START only restores a
    consent the patient gave on the form once: it never opts in a patient who did not."""
    patients = Patient.objects.filter(sms_number=number, sms_consent=not subscribed)
    if subscribed:
        patients = patients.exclude(sms_consent_at__isnull=True)
    return patients.update(sms_consent=subscribed, sms_consent_at=timezone.now())


def sms_contact_fields(*, phone: str, consent: bool, now: datetime) -> dict[str, object]:
    """A new patient's text-message fields: the number in E.164 form, stored with the
    consent (none when the number cannot take texts)."""
    number = e164(phone, country_code=settings.SMS_COUNTRY_CODE) if consent else None
    if number is None:
        return {"sms_consent": False, "sms_consent_at": None, "sms_number": ""}
    return {"sms_consent": True, "sms_consent_at": now, "sms_number": number}
