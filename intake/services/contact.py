"""How a patient may be reached: consent to text messages, given on the form and withdrawn
(or given again) by a reply to one of our texts."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from intake.models import AppointmentRequest, CallTask, Patient
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


def call_tasks_done(*, appointment_request: AppointmentRequest, user: User) -> int:
    """The front desk made the calls the request owed the patient; returns how many. Each
    is saved on its own, so the audit trail names who marked it and when."""
    done = 0
    with transaction.atomic():
        for task in CallTask.objects.select_for_update().filter(
            request=appointment_request, done_at__isnull=True
        ):
            task.done_at, task.done_by_id = timezone.now(), user.pk
            task.save(update_fields=["done_at", "done_by"])
            done += 1
    return done
