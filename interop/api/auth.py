"""Who is calling: a system client with a valid bearer token, its scopes, and its rate."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from oauth2_provider.oauth2_backends import get_oauthlib_core
from redis.exceptions import RedisError

from clinic.network import client_ip
from interop.api.responses import error, unauthorized
from interop.api.scopes import readable_types, type_scope
from interop.models import SystemClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SystemAccess:
    client: SystemClient
    types: frozenset[str]
    address: str | None

    @property
    def actor(self) -> str:
        """How the audit trail names the caller."""
        return f"FHIR client “{self.client.name}” ({self.client.client_id})"

    def refused(self, resource_type: str) -> HttpResponse | None:
        """A 403 when the token does not cover reading this type."""
        if resource_type in self.types:
            return None
        return error(
            403,
            "forbidden",
            f"This token's scopes do not include {type_scope(resource_type)} "
            "(or system/*.read). A clinic manager can grant it in the staff admin.",
            WWW_Authenticate=f'Bearer realm="fhir", error="insufficient_scope", '
            f'scope="{type_scope(resource_type)}"',
        )


def authenticate(request: HttpRequest) -> SystemAccess | HttpResponse:
    """The caller's access, or the 401 or 429 to answer with."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return unauthorized(
            "Send an access token: Authorization: Bearer <token>, from POST /fhir/R4/auth/token "
            "with your client credentials."
        )
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    client = getattr(token, "application", None)
    if token is None or not isinstance(client, SystemClient) or not client.is_active:
        return unauthorized(
            "The access token is unknown, expired or revoked: ask for a new one.",
            token_error="invalid_token",  # noqa: S106 - an error code
        )
    if _rate_limited(request, client):
        return error(
            429,
            "throttled",
            f"Too many requests: this client may make {settings.FHIR_API_RATE}.",
            Retry_After="60",
        )
    return SystemAccess(client, frozenset(readable_types(token.scope.split())), client_ip(request))


def _rate_limited(request: HttpRequest, client: SystemClient) -> bool:
    try:
        return is_ratelimited(
            request,
            group="fhir-api",
            key=lambda group, request: str(client.pk),
            rate=settings.FHIR_API_RATE,
            increment=True,
        )
    except RedisError:
        # An outage of the shared cache must not close the clinic's record system out.
        logger.warning("Rate limit unavailable (cache down); serving the FHIR read")
        return False
