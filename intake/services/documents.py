"""Documents a patient adds to their request from the status page: checked (size, type from
the content, a name that matches it), stored under a random name in the private storage,
recorded with their hash."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from intake.document_types import (
    ACCEPTED_EXTENSIONS,
    HEAD_BYTES,
    content_type_of,
    extension_of,
    matches_extension,
    stored_extension,
)
from intake.models import CLOSED_STATUSES, AppointmentRequest, Document, DocumentKind
from intake.models.documents import ORIGINAL_NAME_LIMIT, documents_storage, stored_file_name

# Enough for a letter, a prescription and both sides of a card, each sent again a few times;
# a bound so that a status link cannot fill the disk.
DOCUMENTS_PER_REQUEST = 12


def documents_may_be_added(appointment_request: AppointmentRequest) -> bool:
    """A cancelled or completed request takes no more documents."""
    return appointment_request.status not in CLOSED_STATUSES


def _original_name(name: str) -> str:
    """The patient's file name as a label: no folders, bounded, the extension kept."""
    name = PurePath(name.replace("\\", "/")).name.strip() or "document"
    if len(name) <= ORIGINAL_NAME_LIMIT:
        return name
    suffix = extension_of(name)[:10]
    return name[: ORIGINAL_NAME_LIMIT - len(suffix)] + suffix


def too_large_error(size: int | None) -> ValidationError:
    """What a patient is told of a file over ``DOCUMENT_MAX_BYTES`` (of ``size``, when known:
    a file stopped while it arrived is only known to be larger)."""
    limit = filesizeformat(settings.DOCUMENT_MAX_BYTES)
    said = (
        _("This file is %(size)s.") % {"size": filesizeformat(size)}
        if size is not None
        else _("This file is larger than %(limit)s.") % {"limit": limit}
    )
    advice = _(
        "Files may be at most %(limit)s: take the photo again at a lower resolution, or scan "
        "at a lower quality."
    ) % {"limit": limit}
    return ValidationError(f"{said} {advice}", code="too_large")


def document_check(*, upload: UploadedFile) -> str:
    """The upload's content type, or a ValidationError that says, in the patient's words,
    what is wrong with it. Reads the file from its start; leaves it at its start."""
    limit = settings.DOCUMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError(_("This file is empty. Choose the file again."), code="empty")
    if upload.size > limit:
        raise too_large_error(upload.size)
    name = upload.name or ""
    if extension_of(name) not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            _("We accept PDF, JPEG or PNG files only (names ending .pdf, .jpg, .jpeg or .png)."),
            code="extension",
        )
    upload.seek(0)
    content_type = content_type_of(upload.read(HEAD_BYTES))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _(
                "This file is not a PDF, JPEG or PNG, whatever its name says. Save or export it "
                "as a PDF, or send a photo."
            ),
            code="content",
        )
    if not matches_extension(content_type, name):
        raise ValidationError(
            _(
                "This file's name does not match what it contains. Rename it to end in "
                "%(extension)s, or save it again."
            )
            % {"extension": stored_extension(content_type)},
            code="mismatch",
        )
    return content_type


def document_add(
    *, appointment_request: AppointmentRequest, kind: DocumentKind, upload: UploadedFile
) -> Document:
    """Check ``upload`` (``document_check``) and store it as ``kind`` for the request.
    Raises ValidationError for a file we do not accept, or when the request takes no more."""
    if not documents_may_be_added(appointment_request):
        raise ValidationError(
            _("This request is closed. To send a document, please call us."), code="closed"
        )
    content_type = document_check(upload=upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        # Locks the request: two uploads at once cannot both pass the bound.
        AppointmentRequest.objects.select_for_update().filter(pk=appointment_request.pk).get()
        if appointment_request.documents.count() >= DOCUMENTS_PER_REQUEST:
            raise ValidationError(
                _(
                    "You have sent as many documents as we can take online. Please bring any "
                    "others to your visit."
                ),
                code="too_many",
            )
        storage = documents_storage()
        stored_name = storage.save(stored_file_name(content_type), upload)
        try:
            return Document.objects.create(
                request=appointment_request,
                kind=kind,
                stored_name=stored_name,
                original_name=_original_name(upload.name or ""),
                content_type=content_type,
                size=upload.size or 0,
                sha256=digest.hexdigest(),
            )
        except BaseException:
            storage.delete(stored_name)  # no file without its record
            raise
