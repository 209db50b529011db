"""A local SMS gateway in the shape of Twilio's REST API, for tests and ``make run`` checks.

A real HTTP server on 127.0.0.1 and a free port (started with PostgreSQL and Redis by
``tests/services.py``; ``SMS_URL`` points at it, so no test can text anyone). It takes
``POST /2010-04-01/Accounts/{sid}/Messages.json`` with HTTP basic auth and the form fields
``To``, ``From``, ``Body`` and ``StatusCallback``, records each message it accepts (201 with
the message's ``sid``), and can be told to answer the next ones with 429, a 5xx or a
permanent 4xx instead. It also plays the provider's side of the callbacks: a delivery
receipt to a message's ``StatusCallback`` and an inbound text, each signed the way Twilio
signs them (computed here independently of the code under test), or badly signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

import httpx

from tests.services import free_port

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "gateway-auth-token-for-tests"
SENDER = "+15550001111"

# What a refusal says, as Twilio words it.
ERRORS = {
    400: (21211, "The 'To' number is not a valid phone number."),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


@dataclass(frozen=True)
class SentSms:
    sid: str
    to: str
    sender: str
    body: str
    status_callback: str
    accepted_at: float


@dataclass
class _Rule:
    status: int
    times: int
    to: str | None


def sign(url: str, params: Mapping[str, str], token: str = AUTH_TOKEN) -> str:
    """Twilio's X-Twilio-Signature of a POST to ``url`` with ``params``."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    ).decode()


class SmsGateway:
    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        # The SMS_URL of the code under test ("%2B": a "+" in a query reads as a space).
        self.url = (
            f"twilio+http://{ACCOUNT_SID}:{AUTH_TOKEN}@127.0.0.1:{self.port}?from={quote(SENDER)}"
        )
        self.received: list[SentSms] = []
        self.attempts = 0  # message requests seen, accepted or not
        self.refused_auth = 0
        self._rules: list[_Rule] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def start(self) -> SmsGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        """Forget what was sent and every rule (between tests)."""
        with self._changed:
            self.received.clear()
            self._rules.clear()
            self.attempts = self.refused_auth = 0

    def answer(self, status: int, *, times: int = 1, to: str | None = None) -> None:
        """Answer the next ``times`` messages (to ``to``, or any) with ``status`` (429, 500,
        503: try again; 400: the number cannot take texts)."""
        with self._changed:
            self._rules.append(_Rule(status, times, to))

    def to(self, number: str) -> list[SentSms]:
        with self._changed:
            return [sms for sms in self.received if sms.to == number]

    def wait_for(self, count: int, timeout: float = 30) -> list[SentSms]:
        """Wait until at least ``count`` messages were accepted; returns all of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.received)} of {count} texts after {timeout}s")
                self._changed.wait(left)
            return list(self.received)

    # -- The provider's callbacks ----------------------------------------------------------

    def send_receipt(
        self, sms: SentSms, status: str, *, error_code: str = "", signature: str | None = None
    ) -> httpx.Response:
        """Post a delivery receipt for ``sms`` to its StatusCallback, signed unless
        ``signature`` is given."""
        params = {
            "AccountSid": ACCOUNT_SID,
            "MessageSid": sms.sid,
            "SmsSid": sms.sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": sms.to,
            "From": sms.sender,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = error_code
        return self._post(sms.status_callback, params, signature)

    def send_inbound(
        self, url: str, *, sender: str, body: str, signature: str | None = None
    ) -> httpx.Response:
        """Post a patient's text to the clinic's inbound URL, signed unless ``signature``
        is given."""
        params = {
            "AccountSid": ACCOUNT_SID,
            "MessageSid": "SM" + uuid.uuid4().hex,
            "From": sender,
            "To": SENDER,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        return self._post(url, params, signature)

    def _post(self, url: str, params: dict[str, str], signature: str | None) -> httpx.Response:
        headers = {"X-Twilio-Signature": sign(url, params) if signature is None else signature}
        return httpx.post(url, data=params, headers=headers, timeout=10)

    # Called from the server's threads.
    def _reply_for(self, to: str) -> int | None:
        with self._changed:
            self.attempts += 1
            for rule in self._rules:
                if rule.times > 0 and rule.to in (None, to):
                    rule.times -= 1
                    return rule.status
        return None

    def _record(self, fields: dict[str, str]) -> SentSms:
        sms = SentSms(
            sid="SM" + uuid.uuid4().hex,
            to=fields.get("To", ""),
            sender=fields.get("From", ""),
            body=fields.get("Body", ""),
            status_callback=fields.get("StatusCallback", ""),
            accepted_at=time.time(),
        )
        with self._changed:
            self.received.append(sms)
            self._changed.notify_all()
        return sms


def _handler(gateway: SmsGateway) -> type[BaseHTTPRequestHandler]:
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the tests read what was recorded

        def _reply(self, status: int, body: Mapping[str, object]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            fields = dict(parse_qsl(self.rfile.read(length).decode()))
            if self.path != path:
                return self._reply(404, {"code": 20404, "message": "Not Found"})
            if not hmac.compare_digest(self.headers.get("Authorization", ""), expected_auth):
                with gateway._changed:
                    gateway.refused_auth += 1
                return self._reply(401, {"code": 20003, "message": "Authenticate"})
            status = gateway._reply_for(fields.get("To", ""))
            if status is not None:
                code, message = ERRORS.get(status, (status * 100, "Error"))
                return self._reply(status, {"code": code, "message": message, "status": status})
            sms = gateway._record(fields)
            self._reply(
                201,
                {
                    "sid": sms.sid,
                    "account_sid": ACCOUNT_SID,
                    "to": sms.to,
                    "from": sms.sender,
                    "body": sms.body,
                    "status": "queued",
                    "num_segments": "1",
                },
            )

    return Handler
