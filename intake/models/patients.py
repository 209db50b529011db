"""Patients: contact details and preferences, as the patient gave them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")


class Patient(models.Model):
    """Contact details and preferences, as the patient gave them (questionnaire section C)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices)
    # The language the patient used on the site, as a code of settings.LANGUAGES ("en-us",
    # "es"): every later message to them is written in it (intake.announcements).
    preferred_language = models.CharField(
        max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Consent to text messages, asked with the number (the "about you" step). A STOP reply
    # withdraws it (notifications.replies), START gives it again.
    sms_consent = models.BooleanField(default=False)
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    # `phone` in E.164 form when texts may go to it: where they go, and replies come from.
    sms_number = models.CharField(max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the front desk last corrected a detail (the record system syncs changes from it).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # Staff search by e-mail in any letter case. The start-of-name searches use
            # PostgreSQL-only pattern indexes made in migration 0003_patient_name_indexes.
            models.Index(Upper("email"), name="patient_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
