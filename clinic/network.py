"""The client's address, as the audit trail and the sign-in lockout both see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    ``X-Forwarded-For`` is trusted only as far as ``TRUSTED_PROXY_COUNT`` reverse proxies
    of ours append to it; any address a client wrote there itself is ignored, so nobody can
    dodge the lockout or forge the audit trail with a header.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
