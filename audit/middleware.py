from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from clinic.network import client_ip


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware (actor and address on every entry written during the request),
    with the client address taken the same way as the sign-in lockout takes it."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
