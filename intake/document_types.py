"""What a document a patient sends really is, from its first bytes (never from its name or
the type the browser claims): a PDF, a JPEG or a PNG, or nothing we accept.

A hand-written check rather than libmagic (python-magic): three signatures are all we
accept, and libmagic would add a system library to every host for them."""

from __future__ import annotations

from pathlib import PurePath

# Enough to read each signature below.
HEAD_BYTES = 32

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# The extensions a file of each type may have; it is stored under the first.
TYPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
}
ACCEPTED_EXTENSIONS = frozenset().union(*TYPE_EXTENSIONS.values())
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def content_type_of(head: bytes) -> str | None:
    """The type whose signature ``head`` (the file's first bytes) starts with, or None.

    PDF: "%PDF-" and a version digit (readers allow the header a little way in, we do not).
    JPEG: the start-of-image marker followed by another marker (FF D8 FF).
    PNG: the 8-byte signature followed by the IHDR chunk, which must come first.
    """
    if head.startswith(b"%PDF-") and head[5:6].isdigit():
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return PNG
    return None


def stored_extension(content_type: str) -> str:
    """The extension a file of an accepted type is stored (and named to patients) with."""
    return TYPE_EXTENSIONS[content_type][0]


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def matches_extension(content_type: str, name: str) -> bool:
    """Whether the file's name ends as a file of its real type does (a PNG named .pdf does
    not): the patient's computer would open it as something else."""
    return extension_of(name) in TYPE_EXTENSIONS.get(content_type, ())
