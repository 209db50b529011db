"""Sending one e-mail through Django's default mailer (``settings.MAILERS``).

The only place that knows about SMTP: every failure comes out as a ``TransportError``
that says whether trying again could help (4xx replies, refused or dropped connections,
timeouts) or not (5xx replies, an address the mailer cannot encode).
"""

from __future__ import annotations

import contextlib
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

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
    try:
        sent = _mailer().send_messages([message])
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
    if sent != 1:
        raise TransportError("the mailer did not send the message", permanent=False)


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
