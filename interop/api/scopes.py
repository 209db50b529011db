"""SMART Backend Services-style scopes (``system/Patient.read``, ``system/*.read``): the
vocabulary, and how django-oauth-toolkit grants them.

A client may be given the scope of every type (``system/*.read``) or of single types; a
token request may ask for any part of what the client was given (or, asking for nothing,
gets all of it).

The toolkit's validator for these clients is `interop.api.validator`, apart: it pulls in
the toolkit's validator module (requests, jwcrypto's JWS and JWT), which only a token
request or a bearer check needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from oauth2_provider.scopes import BaseScopes

from interop.search.registry import RESOURCE_TYPES

ALL_TYPES = "system/*.read"


def type_scope(resource_type: str) -> str:
    return f"system/{resource_type}.read"


def all_scopes() -> dict[str, str]:
    """Every scope a client can be given, with what it reveals."""
    scopes = {ALL_TYPES: "Read every resource type, clinical ones included."}
    for resource_type in RESOURCE_TYPES:
        clinical = " Clinical." if resource_type.clinical else ""
        scopes[type_scope(resource_type.name)] = f"{resource_type.description}{clinical}"
    return scopes


def readable_types(scopes: Iterable[str]) -> set[str]:
    """The resource types a set of granted scopes lets a client read."""
    granted = set(scopes)
    if ALL_TYPES in granted:
        return {resource_type.name for resource_type in RESOURCE_TYPES}
    return {
        resource_type.name
        for resource_type in RESOURCE_TYPES
        if type_scope(resource_type.name) in granted
    }


def covered(requested: Iterable[str], granted: Iterable[str]) -> bool:
    """Whether every requested scope is within what was granted."""
    allowed = set(granted)
    return all(
        scope in allowed or (scope in all_scopes() and ALL_TYPES in allowed) for scope in requested
    )


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    known = all_scopes()
    return [scope for scope in scopes if scope not in known]


class SmartScopes(BaseScopes):
    """django-oauth-toolkit's scopes backend: a client's scopes are the ones it was given."""

    def get_all_scopes(self) -> dict[str, str]:
        return all_scopes()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return list(all_scopes())
        return str(application.scope).split()

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
