"""Sending one e-mail through Django's default mailer (``settings.MAILERS``).

Over SMTP, the message is the one Django's mailer would send, built for less (``_smtp_send``):
the MIME body serialized once for e-mails with the same texts, the few headers of each
recipient folded for it.

The only place that knows about SMTP: every failure comes out as a ``TransportError``
that says whether trying again could help (4xx replies, refused or dropped connections,
timeouts) or not (5xx replies, an address the mailer cannot encode).
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.contentmanager import raw_data_manager
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.policy import compat32
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

# One SMTP connection per worker process, kept open between messages: connecting and
# greeting the server costs more than sending a short message. Other mailers (files,
# console) are opened per message, so the development mail folder holds one file each.
_smtp: SmtpBackend | None = None
_smtp_used_at = 0.0
# A connection used this recently is trusted without a NOOP first (servers drop idle
# connections after minutes, not seconds).
TRUSTED_IDLE_SECONDS = 5.0


class TransportError(Exception):
    """The message was not accepted. ``permanent`` means retrying will not help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, kw_only=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    # (filename, text content, MIME type) each.
    attachments: tuple[tuple[str, str, str], ...] = ()


def send_email(email: Email) -> None:
    """Hand one message to the mail server; returns once the server has accepted it."""
    try:
        mailer = _mailer()
        if mailer is _smtp:
            _smtp_send(_smtp, email)
        else:
            _django_send(mailer, email)
    except smtplib.SMTPRecipientsRefused as error:
        replies = list(error.recipients.values())
        permanent = all(code >= 500 for code, _ in replies)
        raise TransportError(_describe(*replies[0]), permanent=permanent) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == 421:  # the server is closing this connection
            _forget_connection()
        raise TransportError(
            _describe(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        # Refused or dropped connections, timeouts, a full disk for the file mailer.
        _forget_connection()
        raise TransportError(f"{type(error).__name__}: {error}", permanent=False) from error
    except ValueError as error:  # an address the mailer cannot encode
        raise TransportError(f"invalid message: {error}", permanent=True) from error
    except BaseException:  # a time limit in the middle of a conversation, for example
        _forget_connection()
        raise


def _django_send(mailer: BaseEmailBackend, email: Email) -> None:
    if mailer.send_messages([_django_message(email)]) != 1:
        raise TransportError("the mailer did not send the message", permanent=False)


def _django_message(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(email.html, "text/html")
    for filename, content, mimetype in email.attachments:
        message.attach(filename, content, mimetype)
    return message


def _smtp_send(mailer: SmtpBackend, email: Email) -> None:
    """The message Django's SMTP mailer would send, over its open connection, built for less:
    the MIME body (text, HTML, attachments) serialized once for the recipients of the same
    texts, and only the headers that differ folded for each one. A recipient the mailer would
    rewrite (a display name, a non-ASCII domain) takes Django's own path."""
    recipient = _envelope_address(mailer, email.to)
    if recipient != email.to:
        _django_send(mailer, email)
        return
    headers = b"".join(
        (
            _header("Subject", email.subject),
            _from_header(settings.DEFAULT_FROM_EMAIL),
            _header("To", recipient),
            _header("Date", _now()),
            _header("Message-ID", email.message_id),
            b"Auto-Submitted: auto-generated\r\n",
        )
    )
    sender = _envelope_address(mailer, settings.DEFAULT_FROM_EMAIL)
    assert mailer.connection is not None  # opened by _mailer()
    mailer.connection.sendmail(sender, [recipient], headers + _mime_body(email))


def _mime_body(email: Email) -> bytes:
    """The Content-Type and MIME-Version headers and the body of Django's message for this
    e-mail, serialized as the SMTP mailer does, and kept for the next e-mails with the same
    texts (one event's staff share one)."""
    key = (email.text, email.html, email.attachments)
    body = _bodies.get(key)
    if body is None:
        if email.attachments:
            message = _django_message(email).message(policy=SMTP_POLICY)
            for name in PER_RECIPIENT_HEADERS:
                del message[name]
        else:
            # What EmailMultiAlternatives.message() builds for a text and its HTML, without
            # the headers written per recipient, through the same content manager (the same
            # transfer encodings); under compat32 its few headers are plain strings, where
            # the SMTP policy parses each one again whenever it is read or written.
            message = EmailMessage(policy=BODY_POLICY)
            charset = settings.DEFAULT_CHARSET
            message.set_content(
                email.text, subtype="plain", charset=charset, content_manager=raw_data_manager
            )
            message.make_alternative()
            message.add_alternative(
                email.html, subtype="html", charset=charset, content_manager=raw_data_manager
            )
        body = message.as_bytes()
        if len(_bodies) >= MIME_BODIES_KEPT:
            _bodies.clear()
        _bodies[key] = body
    return body


# The headers Django's message() sets that `_smtp_send` writes for each recipient.
PER_RECIPIENT_HEADERS = ("Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted")
MIME_BODIES_KEPT = 8
BODY_POLICY = compat32.clone(linesep="\r\n")
_bodies: dict[tuple[str, str, tuple[tuple[str, str, str], ...]], bytes] = {}
# RFC 5322's limit, which the SMTP policy folds at.
LINE_LENGTH = 78


def _header(name: str, value: str) -> bytes:
    """One header line as the SMTP policy folds it; a short printable ASCII value (most of
    them) is written as it is, which is what folding would give."""
    if value.isascii() and value.isprintable() and value == value.strip() and "  " not in value:
        line = f"{name}: {value}\r\n"
        if len(line) <= LINE_LENGTH + 2 and "=?" not in value:
            return line.encode("ascii")
    # Raises ValueError for a line break in the value (a header injection).
    header = SMTP_POLICY.header_store_parse(name, value)[1]
    return SMTP_POLICY.fold_binary(name, header)


@functools.cache
def _from_header(sender: str) -> bytes:
    return _header("From", sender)


# The envelope address of each From address and recipient (the mailer's parsing, once: the
# staff's recur with every intake).
_envelope: dict[str, str] = {}
ADDRESSES_KEPT = 1000


def _envelope_address(mailer: SmtpBackend, address: str) -> str:
    """The address as the mailer puts it on the envelope (ValueError for one it cannot
    encode), remembered."""
    if (known := _envelope.get(address)) is None:
        known = mailer.prep_address(address)
        if len(_envelope) >= ADDRESSES_KEPT:
            _envelope.clear()
        _envelope[address] = known
    return known


def _now() -> str:
    """The Date header's value, as Django writes it."""
    zone = timezone.get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
    return format_datetime(datetime.now(zone))


def _mailer() -> BaseEmailBackend:
    """The process's open SMTP connection (checked with NOOP, reopened if the server has
    dropped it), or a fresh mailer of another kind."""
    global _smtp, _smtp_used_at
    if _smtp is not None:
        idle = time.monotonic() - _smtp_used_at
        _smtp_used_at = time.monotonic()
        try:
            if _smtp.connection is not None and (
                idle < TRUSTED_IDLE_SECONDS or _smtp.connection.noop()[0] == 250
            ):
                return _smtp
        except (smtplib.SMTPException, OSError):
            pass
        _forget_connection()
    mailer = mailers.default
    if isinstance(mailer, SmtpBackend):
        mailer.open()  # opened here, so send_messages leaves it open
        _smtp, _smtp_used_at = mailer, time.monotonic()
    return mailer


def _forget_connection() -> None:
    global _smtp
    if _smtp is not None:
        smtp, _smtp = _smtp, None
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.close()


def _describe(code: int, reply: bytes | str) -> str:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}".strip()
