"""A real SMTP server for tests and benchmarks (aiosmtpd on 127.0.0.1 and a free port).

It records the messages it accepts, and can be told to answer a recipient's next messages
with an error (``451`` transient, ``550`` permanent) or to hold the reply to DATA for a
while, which opens a window to kill the worker in the middle of a send. A message counts
as accepted only once the ``250`` reply is sent: if the client disappears while a reply is
held, aiosmtpd cancels the handler and the message is dropped, as a real server would.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property
from typing import Any

from aiosmtpd.controller import Controller

from tests.services import free_port


@dataclass
class Received:
    recipients: list[str]
    content: bytes
    accepted_at: float  # time.time() when the 250 reply was given

    @cached_property
    def message(self) -> EmailMessage:
        # Parsed on demand: the benchmark's sink must not eat the worker's CPU.
        return email.message_from_bytes(self.content, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def body(self, subtype: str) -> str:
        """The text/plain ("plain") or text/html ("html") part, decoded."""
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        return part.get_content()


@dataclass
class _Rule:
    address: str | None
    reply: str
    times: int


@dataclass
class Hold:
    """A held reply: ``started`` is set once the message is in; ``release()`` answers 250
    at once instead of waiting the full time."""

    seconds: float
    started: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.received: list[Received] = []
        self.attempts = 0  # DATA commands seen, accepted or not
        self.delay = 0.0  # seconds before each reply to DATA, like a busy server
        self._rules: list[_Rule] = []
        self._holds: list[Hold] = []
        self._changed = threading.Condition()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._listening = False

    def start(self) -> SmtpSink:
        self._controller.start()
        self._listening = True
        return self

    def stop(self) -> None:
        # A test may have left it down; stopping aiosmtpd's closed loop again would raise.
        if self._listening:
            self.down()

    def down(self) -> None:
        """Stop listening, as a mail server that is down: connections are refused."""
        self._controller.stop()
        self._listening = False

    def up(self) -> None:
        """Listen again on the same port, keeping what was received."""
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self._listening = True

    def answer(self, reply: str, *, to: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` messages (to ``to``, or any) with ``reply``,
        for example ``"451 4.3.0 Try again later"``."""
        with self._changed:
            self._rules.append(_Rule(to.lower() if to else None, reply, times))

    def hold_next(self, seconds: float) -> Hold:
        """Wait ``seconds`` (or until released) before replying to the next message."""
        hold = Hold(seconds)
        with self._changed:
            self._holds.append(hold)
        return hold

    def to(self, address: str) -> list[Received]:
        with self._changed:
            return [m for m in self.received if address.lower() in m.recipients]

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        """Wait until at least ``count`` messages were accepted; returns all of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.received)} of {count} messages after {timeout}s")
                self._changed.wait(left)
            return list(self.received)

    # Called from the server's thread.
    def _reply_for(self, recipients: list[str]) -> str | None:
        with self._changed:
            self.attempts += 1
            for rule in self._rules:
                if rule.times > 0 and (rule.address is None or rule.address in recipients):
                    rule.times -= 1
                    return rule.reply
        return None

    def _take_hold(self) -> Hold | None:
        with self._changed:
            return self._holds.pop(0) if self._holds else None

    def _record(self, recipients: list[str], content: bytes) -> None:
        with self._changed:
            self.received.append(Received(recipients, content, time.time()))
            self._changed.notify_all()


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        recipients = [address.lower() for address in envelope.rcpt_tos]
        reply = self.sink._reply_for(recipients)
        if reply is not None:
            return reply
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        hold = self.sink._take_hold()
        if hold is not None:
            hold.started.set()
            deadline = time.monotonic() + hold.seconds
            while not hold.released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)  # cancelled if the client goes away
        self.sink._record(recipients, envelope.original_content or envelope.content)
        return "250 2.0.0 OK"
