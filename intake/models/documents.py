"""Documents a patient sends with a request: a referral letter or prescription (clinical, for
therapists) and the two sides of an insurance card (for the front desk). The files live in the
private "documents" storage, outside every folder the web server serves, under a random
name; the name the patient's file had is kept as a label only."""

from __future__ import annotations

import secrets

from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.document_types import stored_extension
from intake.models.requests import AppointmentRequest

# How long a stored original name may be (longer ones are cut, keeping the extension).
ORIGINAL_NAME_LIMIT = 120


class DocumentKind(models.TextChoices):
    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    PRESCRIPTION = "prescription", _("Prescription")
    INSURANCE_FRONT = "insurance_front", _("Insurance card (front)")
    INSURANCE_BACK = "insurance_back", _("Insurance card (back)")


# Who reads which kind: the clinical ones are the therapists', the cards the front desk's.
CLINICAL_KINDS = frozenset({DocumentKind.REFERRAL_LETTER, DocumentKind.PRESCRIPTION})
INSURANCE_KINDS = frozenset({DocumentKind.INSURANCE_FRONT, DocumentKind.INSURANCE_BACK})
CLINICAL_DOCUMENT_PERMISSION = "intake.view_clinical_document"
INSURANCE_CARD_PERMISSION = "intake.view_insurance_card"


def document_permission(kind: str) -> str:
    """The permission a staff member needs to open a document of ``kind``."""
    return CLINICAL_DOCUMENT_PERMISSION if kind in CLINICAL_KINDS else INSURANCE_CARD_PERMISSION


def documents_storage() -> Storage:
    """The private storage of the files (looked up on each use, so tests may move it)."""
    return storages["documents"]


def stored_file_name(content_type: str) -> str:
    """A random name: nothing of the patient's file name reaches the disk. The extension
    is the checked content type's, never the one the patient's file had."""
    return f"{secrets.token_hex(16)}{stored_extension(content_type)}"


class Document(models.Model):
    request = models.ForeignKey(
        AppointmentRequest, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    # The file's name in `documents_storage()`.
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(max_length=ORIGINAL_NAME_LIMIT)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        # Opened through its request's or intake's page, never an admin of its own.
        default_permissions = ()
        permissions = [
            ("view_clinical_document", "Can view referral letters and prescriptions"),
            ("view_insurance_card", "Can view insurance cards"),
        ]
        indexes = [models.Index(fields=["request", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request.reference}"
