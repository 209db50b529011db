"""The documents of a request: which a staff member may see, and which the patient sent."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from intake.models import (
    CLINICAL_DOCUMENT_PERMISSION,
    CLINICAL_KINDS,
    INSURANCE_CARD_PERMISSION,
    INSURANCE_KINDS,
    AppointmentRequest,
    Document,
    DocumentKind,
)


def request_documents(
    appointment_request: AppointmentRequest, kinds: Collection[DocumentKind] | None = None
) -> QuerySet[Document]:
    """The request's documents, oldest first; of ``kinds`` only, when given."""
    documents = Document.objects.filter(request_id=appointment_request.pk)
    if kinds is not None:
        documents = documents.filter(kind__in=list(kinds))
    return documents.order_by("uploaded_at", "pk")


def kinds_visible_to(user: User | AnonymousUser) -> frozenset[DocumentKind]:
    """The kinds of document ``user`` may open: therapists the clinical ones, the front desk
    the insurance cards, managers both."""
    kinds: frozenset[DocumentKind] = frozenset()
    if user.has_perm(CLINICAL_DOCUMENT_PERMISSION):
        kinds |= CLINICAL_KINDS
    if user.has_perm(INSURANCE_CARD_PERMISSION):
        kinds |= INSURANCE_KINDS
    return kinds
