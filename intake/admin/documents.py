"""The documents patients send, on the staff pages: the list on a request's page (insurance
cards, for the front desk) and on an intake's page (referral letters and prescriptions, for
therapists), and the one view that serves a file, to a role that may open its kind, each
time recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone

from audit.access import record_access
from intake.admin.request_pages import RequestAdmin
from intake.document_types import JPEG, PNG
from intake.models import AppointmentRequest, Document, DocumentKind, document_permission
from intake.models.documents import documents_storage
from intake.selectors.documents import kinds_visible_to, request_documents

# Pictures open in the browser; a PDF is downloaded, to be opened by the computer's reader
# rather than run (with whatever scripts it carries) inside our site's address.
INLINE_TYPES = frozenset({JPEG, PNG})


def document_url(document: Document) -> str:
    return reverse(
        "admin:intake_appointmentrequest_document", args=[document.request_id, document.pk]
    )


def document_rows(
    request: HttpRequest, appointment_request: AppointmentRequest, kinds: frozenset[DocumentKind]
) -> list[dict[str, Any]]:
    """The documents of ``kinds`` the signed-in staff member may open, as the panel lists
    them; none of the others, not even that they exist."""
    shown = kinds & kinds_visible_to(request.user)
    if not shown:
        return []
    return [
        {
            "kind": document.get_kind_display(),
            "name": document.original_name,
            "size": filesizeformat(document.size),
            "when": formats.date_format(timezone.localtime(document.uploaded_at), "j M Y, G:i"),
            "url": document_url(document),
        }
        for document in request_documents(appointment_request, shown)
    ]


def document_page(
    model_admin: RequestAdmin, request: HttpRequest, pk: int, document_pk: int
) -> HttpResponseBase:
    """One document's file, to a role that may open its kind (403 otherwise)."""
    document = get_object_or_404(
        Document.objects.select_related("request"), pk=document_pk, request_id=pk
    )
    if not request.user.has_perm(document_permission(document.kind)):
        raise PermissionDenied
    try:
        handle = documents_storage().open(document.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("The file of this document is missing from the documents folder.") from None
    record_access(instance=document)
    extension = document.stored_name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=document.content_type not in INLINE_TYPES,
        # Our own name for it: the patient's (kept as a label) never reaches a header.
        filename=f"{document.request.reference}-{document.kind.replace('_', '-')}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever render it as a page, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
