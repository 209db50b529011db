"""One-time codes for the patient's copy: sending one through the outbox, checking what the
patient typed, and forgetting spent codes.

A code is six digits, lives ``PATIENT_COPY_CODE_MINUTES``, works once and takes
``PATIENT_COPY_CODE_ATTEMPTS`` wrong tries at most; a new code replaces the last. Only a
keyed hash (HMAC with the secret key) is stored, so the table gives nobody a working code;
the e-mail's recorded copy is blanked once the code is spent or expired.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from audit.creations import record_creations
from clinic.languages import patient_language
from intake.models import AppointmentRequest
from interop.models import PatientCopyCode
from notifications.outbox import Recipient, notifications_forget, notifications_record


class NotificationKind(models.TextChoices):
    PATIENT_COPY_CODE = "patient_copy_code", "Code for the patient's copy (patient)"


_SALT = "interop.patient-copy-code"


def _hash(appointment_request: AppointmentRequest, code: str) -> str:
    return salted_hmac(_SALT, f"{appointment_request.pk}:{code}", algorithm="sha256").hexdigest()


def copy_code_send(*, appointment_request: AppointmentRequest) -> PatientCopyCode | None:
    """E-mail the patient a new code, recorded through the outbox with this row; None when
    ``PATIENT_COPY_CODES_PER_HOUR`` were already sent in the last hour."""
    now = timezone.now()
    with transaction.atomic():
        # Lock the request, so two quick clicks cannot both pass the hourly limit.
        AppointmentRequest.objects.select_for_update().filter(pk=appointment_request.pk).first()
        recent = PatientCopyCode.objects.filter(
            appointment_request=appointment_request, created_at__gt=now - timedelta(hours=1)
        ).count()
        if recent >= settings.PATIENT_COPY_CODES_PER_HOUR:
            return None
        code = f"{secrets.randbelow(10**6):06d}"
        # The new code replaces any earlier one.
        PatientCopyCode.objects.filter(
            appointment_request=appointment_request, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        row = PatientCopyCode.objects.create(
            appointment_request=appointment_request,
            code_hash=_hash(appointment_request, code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.PATIENT_COPY_CODE_MINUTES),
        )
        patient = appointment_request.patient
        recorded = notifications_record(
            topic=appointment_request.reference,
            kind=NotificationKind.PATIENT_COPY_CODE,
            subject=gettext("Your code to download your record"),
            template="interop/email/patient_copy_code",
            context={
                "clinic_name": settings.CLINIC_NAME,
                "clinic_phone": settings.CLINIC_PHONE,
                "first_name": patient.first_name,
                "code": code,
                "minutes": settings.PATIENT_COPY_CODE_MINUTES,
            },
            recipients=[Recipient(patient.email)],
            dedupe_key=f"copy-code-{row.pk}",
            # Asked for on a page in the patient's language: the e-mail is in it too.
            language=patient_language(translation.get_language()),
        )
        record_creations(recorded)  # the outbox writes in bulk, without auditlog's own entry
        if recorded:
            row.notification = recorded[0]
            row.save(update_fields=["notification"])
    return row


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    # Wrong tries left on the current code; 0 when there is no code that can still work.
    tries_left: int = 0


def copy_code_check(*, appointment_request: AppointmentRequest, code: str) -> CodeCheck:
    """Whether `code` is the patient's current code. Each try counts against the code's
    limit before it is compared, so parallel guesses cannot exceed it; a right code is
    used up at once."""
    now = timezone.now()
    current = (
        PatientCopyCode.objects.filter(
            appointment_request=appointment_request, used_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if current is None:
        return CodeCheck(accepted=False)
    limit = settings.PATIENT_COPY_CODE_ATTEMPTS
    counted = PatientCopyCode.objects.filter(
        pk=current.pk, attempts__lt=limit, used_at__isnull=True
    ).update(attempts=F("attempts") + 1)
    if not counted:
        return CodeCheck(accepted=False)
    typed = "".join(character for character in code if character.isdigit())
    if hmac.compare_digest(current.code_hash, _hash(appointment_request, typed)):
        used = PatientCopyCode.objects.filter(pk=current.pk, used_at__isnull=True).update(
            used_at=now
        )
        if used:
            _forget([current])
            return CodeCheck(accepted=True)
    return CodeCheck(accepted=False, tries_left=max(limit - current.attempts - 1, 0))


def _forget(codes: list[PatientCopyCode]) -> None:
    notifications_forget(
        notification_ids=[code.notification_id for code in codes if code.notification_id],
        keys=["code"],
    )


def copy_codes_forget(*, now: datetime | None = None) -> int:
    """Blank the recorded e-mail copy of every code that is spent or expired (beat)."""
    now = now or timezone.now()
    spent = list(
        PatientCopyCode.objects.filter(notification__isnull=False)
        .filter(models.Q(used_at__isnull=False) | models.Q(expires_at__lte=now))
        .filter(notification__context__has_key="code")
    )
    _forget(spent)
    return len(spent)
