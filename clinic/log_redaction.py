"""Keep secrets out of logs: the signed tokens in addresses and the secrets in query strings.

A status link (`/status/<token>/`) is a bearer credential for 90 days: whoever reads it in an
access log can see and cancel the request. The same holds for a red-flag alert's
acknowledge link, a staff member's set-up and password-reset links, any `?token=`,
`?code=` or `?secret=` in a query, and the password in a URL (the SMS provider's auth token
in `SMS_URL`, an SMTP password in `EMAIL_URL`). `redact` is the one rule;
`RedactSecretsFilter` applies it to every log record (the console handler in
`clinic/settings.py`), and `clinic/gunicorn.conf.py` to gunicorn's access log.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# A path segment after one of these is a signed token; a staff password reset's token comes
# after the account's id (`/password-reset/<uid>/<token>/`, then Django's `set-password`).
_SIGNED_PATH = re.compile(
    r"(/(?:status|acknowledge|reset|enrol|password-reset/[^/?#\s\"']+)/)"
    r"(?!set-password/)[^/?#\s\"']+"
)
# Query parameters whose values are secrets.
_SECRET_QUERY = re.compile(
    r"([?&](?:token|code|secret|password|key|access_token|client_secret|signature)=)[^&#\s\"']*",
    re.IGNORECASE,
)


# The password of a URL's user (`twilio://SID:AUTH_TOKEN@host`, `smtp://user:password@host`).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s\"']+:)[^@/\s\"']+(?=@)", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every signed token in a path, every secret query value and every
    password in a URL replaced."""
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}", text)
    return _SECRET_QUERY.sub(rf"\1{REDACTED}", _SIGNED_PATH.sub(rf"\1{REDACTED}", text))


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message with `redact` (so handlers never see the token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
