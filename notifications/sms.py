"""Text messages: the one place that knows the SMS provider (Twilio's REST API over httpx).

``settings.SMS`` (parsed from ``SMS_URL`` by ``clinic.env``) picks the transport:

- ``twilio``: POST ``/2010-04-01/Accounts/{sid}/Messages.json`` with ``To``, ``From``,
  ``Body`` and ``StatusCallback``, HTTP basic auth. 429 and 5xx replies, refused connections
  and timeouts are transient (``TransportError(permanent=False)``), any other 4xx permanent;
- ``console``: the text on standard output; ``file``: one file per text in a folder (the
  default, so that ``make run`` sends nothing off the machine).

Also: how many segments a text takes (a text over ``MAX_SEGMENTS`` is never sent), phone
numbers in E.164 form, and the provider's request signature on its callbacks. The auth token
is never put in a log line or an error message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from notifications.transports import TransportError

if TYPE_CHECKING:
    import httpx

MAX_SEGMENTS = 2
# GSM 03.38: the basic set (one unit each) and the extension table (an escape and the
# character: two units). Anything else sends the whole text as UCS-2.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# Units per segment: alone, and in a concatenated text (the header takes the rest).
_GSM7_UNITS = (160, 153)
_UCS2_UNITS = (70, 67)

# Keywords carriers and providers treat as opting out and back in (CTIA), and asking for help.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})

# The provider's receipt statuses, in the order a message goes through them; a receipt that
# arrives after a later one (they may cross) changes nothing.
RECEIPT_ORDER = {
    "accepted": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
}
RECEIPT_FAILED = frozenset({"undelivered", "failed"})


# The letters of Spanish (and the spaces of Django's "a. m.") that GSM 03.38 lacks, as the
# nearest it has: one of them alone would send a whole text as UCS-2, at 67 characters a
# segment instead of 153. Texts in Spanish commonly go without these accents; é, ñ, ü, ¿ and
# ¡ are in GSM-7 and stay.
_GSM7_FOLD = str.maketrans(
    {
        "á": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "Á": "A",
        "Í": "I",
        "Ó": "O",
        "Ú": "U",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


def gsm7_folded(text: str) -> str:
    """`text` with the characters GSM-7 lacks but has a plain form of written in that form
    (á as a, a no-break space as a space), so that it is sent as GSM-7 when it can be."""
    return text.translate(_GSM7_FOLD)


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes: 160 GSM-7 characters alone, 153 each when
    concatenated (70 and 67 UTF-16 units once one character is outside GSM-7)."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in text):
        units = len(text) + sum(char in _GSM7_EXTENDED for char in text)
        single, multi = _GSM7_UNITS
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = _UCS2_UNITS
    if units <= single:
        return 1
    return -(-units // multi)


def e164(number: str, *, country_code: str = "1") -> str | None:
    """``number`` as E.164 (``+15550100123``), or None when it cannot be one. A number
    without a ``+`` is national: ``country_code`` is put in front (10 digits in the NANP,
    which also accepts a leading 1)."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return f"+{digits}" if 8 <= len(digits) <= 15 else None
    if digits.startswith("00"):
        return f"+{digits[2:]}" if 8 <= len(digits) - 2 <= 15 else None
    if country_code == "1":
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        return f"+1{digits}" if len(digits) == 10 else None
    digits = digits.lstrip("0")
    return f"+{country_code}{digits}" if 8 <= len(country_code + digits) <= 15 else None


def keyword(body: str) -> str:
    """The first word of an inbound text, upper case, punctuation dropped ("Stop." → STOP)."""
    words = re.findall(r"[A-Za-z]+", body)
    return words[0].upper() if words else ""


@dataclass(frozen=True, kw_only=True)
class Sms:
    to: str
    body: str
    status_callback: str


def send_sms(sms: Sms) -> str:
    """Hand one text to the provider; returns the provider's id for it once accepted."""
    config = settings.SMS
    match config["backend"]:
        case "twilio":
            return _send_twilio(sms, config)
        case "console":
            ident = f"console-{uuid.uuid4().hex}"
            sys.stdout.write(f"SMS to {sms.to} ({ident}):\n{sms.body}\n{'-' * 40}\n")
            sys.stdout.flush()
            return ident
        case "file":
            ident = f"file-{uuid.uuid4().hex}"
            folder = Path(config["path"])
            try:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{ident}.txt").write_text(f"To: {sms.to}\n\n{sms.body}\n")
            except OSError as error:
                raise TransportError(f"{type(error).__name__}: {error}", permanent=False) from error
            return ident
    raise TransportError(f"unknown SMS backend {config['backend']!r}", permanent=True)


_client: httpx.Client | None = None


def _http() -> httpx.Client:
    """One client per process: it keeps the TLS connection to the provider open."""
    # httpx (with rich, pygments and click, which it loads when present) only where a text goes
    # to the provider: a web worker imports this module but never sends.
    import httpx

    global _client
    if _client is None:
        _client = httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
    return _client


def _send_twilio(sms: Sms, config: Mapping[str, str]) -> str:
    sid = config["account_sid"]
    url = f"{config['base_url']}/2010-04-01/Accounts/{sid}/Messages.json"
    fields = {"To": sms.to, "From": config["from"], "Body": sms.body}
    if sms.status_callback:
        fields["StatusCallback"] = sms.status_callback
    import httpx  # loaded by _http() already; here for its error class

    try:
        response = _http().post(url, data=fields, auth=(sid, config["auth_token"]))
    except httpx.HTTPError as error:
        # Refused or dropped connections and timeouts; the message names no credential.
        raise TransportError(f"{type(error).__name__}", permanent=False) from error
    if response.status_code in (200, 201):
        try:
            return str(response.json()["sid"])
        except (ValueError, KeyError, TypeError):
            raise TransportError("the provider's reply named no message", permanent=False) from None
    transient = response.status_code == 429 or response.status_code >= 500
    raise TransportError(_describe(response), permanent=not transient)


def _describe(response: httpx.Response) -> str:
    """``HTTP 400 (21211): The 'To' number is not a valid phone number.``"""
    try:
        body = response.json()
        detail = f" ({body.get('code')}): {body.get('message', '')}"
    except (ValueError, AttributeError):
        detail = ""
    return f"HTTP {response.status_code}{detail}"[:500]


def signature(url: str, params: Mapping[str, str], token: str) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1, keyed with the auth token, of the full URL
    followed by each POST parameter's name and value in name order; base64."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(url: str, params: Mapping[str, str], given: str) -> bool:
    """Whether ``given`` is the provider's signature of this request. False whenever the
    transport is not the provider's (no token to check against)."""
    token = settings.SMS.get("auth_token", "")
    if not token or not given:
        return False
    return hmac.compare_digest(signature(url, params, token).encode(), given.encode())
