"""Strict parsing of settings from the environment.

A value that cannot be parsed stops start-up with an error naming the variable,
so a typo in production never turns into a silently different setting.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Typed reads of one environment mapping (``os.environ`` unless given)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def fail(self, name: str, message: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"Environment variable {name}: {message}")

    @overload
    def text(self, name: str, default: str) -> str: ...
    @overload
    def text(self, name: str, default: None = None) -> str | None: ...
    def text(self, name: str, default: str | None = None) -> str | None:
        value = self._raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise self.fail(name, f"expected true or false, got {value!r}")

    def integer(self, name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(name, f"expected a whole number, got {value!r}") from None
        if not minimum <= number <= maximum:
            raise self.fail(name, f"expected a number from {minimum} to {maximum}, got {number}")
        return number

    @overload
    def email(self, name: str, default: str) -> str: ...
    @overload
    def email(self, name: str, default: None) -> str | None: ...
    def email(self, name: str, default: str | None) -> str | None:
        value = self._raw(name) or default
        if value is not None:
            try:
                validate_email(value)
            except ValidationError:
                raise self.fail(name, f"expected an e-mail address, got {value!r}") from None
        return value

    def items(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self._raw(name) or default
        if value not in choices:
            raise self.fail(name, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def time_zone(self, name: str, default: str) -> str:
        value = self._raw(name) or default
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(name, f"unknown time zone {value!r}") from None
        return value

    def database(self, name: str, default: str) -> dict[str, Any]:
        value = self._raw(name) or default
        scheme = urlsplit(value).scheme
        if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
            raise self.fail(name, f"expected a postgres:// or sqlite:// URL, got scheme {scheme!r}")
        try:
            config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
        except ValueError as error:
            raise self.fail(name, f"malformed database URL ({error})") from None
        if scheme != "sqlite" and not (config.get("NAME") and config.get("HOST")):
            raise self.fail(name, "a PostgreSQL URL needs a host and a database name")
        return dict(config)

    @overload
    def url(self, name: str, default: str, schemes: tuple[str, ...]) -> str: ...
    @overload
    def url(self, name: str, default: None, schemes: tuple[str, ...]) -> str | None: ...
    def url(self, name: str, default: str | None, schemes: tuple[str, ...]) -> str | None:
        value = self._raw(name) or default
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in schemes:
            raise self.fail(name, f"expected a URL starting with {' or '.join(schemes)}")
        if parts.scheme.startswith("redis"):
            try:
                parts.port  # noqa: B018 - urlsplit checks the port lazily
            except ValueError:
                raise self.fail(name, "the port is not a number") from None
            if not parts.hostname:
                raise self.fail(name, "a Redis URL needs a host")
        return value

    def mailer(self, name: str, default: str) -> dict[str, Any]:
        """Parse ``smtp://user:password@host:port`` (``smtp+tls``, ``smtp+ssl``),
        ``console:`` or ``file:///folder`` into one entry of Django's MAILERS."""
        value = self._raw(name) or default
        parts = urlsplit(value)
        if parts.scheme == "console":
            return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if parts.scheme == "file":
            if not parts.path:
                raise self.fail(name, "a file:// URL needs a folder path")
            return {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": unquote(parts.path)},
            }
        if parts.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
            raise self.fail(name, "expected smtp://, smtp+tls://, smtp+ssl://, console: or file://")
        try:
            port = parts.port
        except ValueError:
            raise self.fail(name, "the port is not a number") from None
        if not parts.hostname:
            raise self.fail(name, "an SMTP URL needs a host")
        timeout = parse_qs(parts.query).get("timeout", ["10"])[0]
        if not timeout.isdigit():
            raise self.fail(name, "timeout must be a whole number of seconds")
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname,
                "port": port,
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp+tls",
                "use_ssl": parts.scheme == "smtp+ssl",
                "timeout": int(timeout),
            },
        }

    def sms(self, name: str, default: str) -> dict[str, str]:
        """Parse ``twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=+15550001111``
        (``twilio+http://`` for a local gateway), ``console:`` or ``file:///folder`` into
        ``settings.SMS`` (read by ``notifications.sms``)."""
        value = self._raw(name) or default
        parts = urlsplit(value)
        if parts.scheme == "console":
            return {"backend": "console"}
        if parts.scheme == "file":
            if not parts.path:
                raise self.fail(name, "a file:// URL needs a folder path")
            return {"backend": "file", "path": unquote(parts.path)}
        if parts.scheme not in {"twilio", "twilio+http"}:
            raise self.fail(name, "expected twilio://, twilio+http://, console: or file://")
        try:
            port = parts.port
        except ValueError:
            raise self.fail(name, "the port is not a number") from None
        if not parts.hostname or not parts.username or not parts.password:
            raise self.fail(name, "expected twilio://ACCOUNT_SID:AUTH_TOKEN@host?from=+1...")
        sender = parse_qs(parts.query).get("from", [""])[0].replace(" ", "+")
        if not sender:
            raise self.fail(name, "the sending number is missing (?from=+15550001111)")
        scheme = "http" if parts.scheme == "twilio+http" else "https"
        return {
            "backend": "twilio",
            "base_url": f"{scheme}://{parts.hostname}" + (f":{port}" if port else ""),
            "account_sid": unquote(parts.username),
            "auth_token": unquote(parts.password),
            # A "+" in a query string reads as a space: both spellings are accepted.
            "from": sender if sender.startswith("+") else f"+{sender}",
        }


def development_secret_key(path: Path) -> str:
    """A key generated on first start and kept in ``var/`` so sessions survive restarts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
