from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware (actor and address on every entry written during the request),
    with the client address taken by ``AUDIT_CLIENT_IP_CALLABLE``, the project's one way of
    reading it (the sign-in lockout uses the same)."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        client_ip = import_string(settings.AUDIT_CLIENT_IP_CALLABLE)
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
