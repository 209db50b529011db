"""The patient adds documents from their status page: a referral letter, a prescription,
the front and back of an insurance card. One small form per kind, each posting one file;
the intake wizard takes none (it ignores file parts)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.forms.utils import ErrorDict
from django.http import HttpRequest, QueryDict
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from intake.document_types import TYPE_EXTENSIONS
from intake.models import AppointmentRequest, DocumentKind
from intake.services.documents import document_add, too_large_error

# What the phone's file picker offers: the accepted names and types.
ACCEPT = ",".join([*(e for es in TYPE_EXTENSIONS.values() for e in es), *TYPE_EXTENSIONS])

# What each form is called on the page, and its button.
KIND_LABELS = {
    DocumentKind.REFERRAL_LETTER: (_("Referral letter"), _("Send the referral letter")),
    DocumentKind.PRESCRIPTION: (_("Prescription"), _("Send the prescription")),
    DocumentKind.INSURANCE_FRONT: (
        _("Insurance card, front"),
        _("Send the front of the card"),
    ),
    DocumentKind.INSURANCE_BACK: (_("Insurance card, back"), _("Send the back of the card")),
}


class DocumentForm(forms.Form):
    file = forms.FileField(
        # Our own message for an empty file (the service's), not Django's.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file to send.")},
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        kind: DocumentKind,
        appointment_request: AppointmentRequest,
        token: str,
    ) -> None:
        super().__init__(data, files, prefix=kind.value)
        self.kind = kind
        self.appointment_request = appointment_request
        label, button = KIND_LABELS[kind]
        field = self.fields["file"]
        field.label = label
        field.help_text = _("PDF, JPEG or PNG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)
        }
        self.helper = FormHelper()
        self.helper.form_action = reverse("intake:status_document", args=[token, kind.value])
        self.helper.form_class = f"document-form document-form--{kind.value}"
        # A name per kind: each button's id is unique on the page.
        self.helper.add_input(Submit(f"send_{kind.value}", button))

    def refuse_as_too_large(self) -> None:
        """The error of a file stopped while it arrived (``DocumentSizeLimit``)."""
        # This error alone (not also "choose a file": none arrived).
        self._errors, self.cleaned_data = ErrorDict(), {}
        self.add_error("file", too_large_error(None))

    def save(self) -> bool:
        """Store the file (``document_add``); what is wrong with it becomes the field's
        error. Call after ``is_valid``; returns whether it was stored."""
        try:
            document_add(
                appointment_request=self.appointment_request,
                kind=self.kind,
                upload=self.cleaned_data["file"],
            )
        except ValidationError as error:
            self.add_error("file", error)
            return False
        return True


class DocumentSizeLimit(FileUploadHandler):
    """Stops reading a posted file once it passes ``DOCUMENT_MAX_BYTES``: the rest of the
    body is read and dropped, never written to a temporary file. Put first among the
    request's upload handlers; the view then asks ``exceeded``."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data  # on to the next handler, which keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def document_forms(
    appointment_request: AppointmentRequest, token: str, bound: DocumentForm | None = None
) -> list[DocumentForm]:
    """One form per kind, in the page's order; ``bound`` in its place when it has errors."""
    return [
        bound
        if bound is not None and bound.kind == kind
        else DocumentForm(kind=kind, appointment_request=appointment_request, token=token)
        for kind in DocumentKind
    ]
