"""Small FHIR data types shared by the mappings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from interop.mapping import Resource


def instant(moment: datetime) -> str:
    """A FHIR instant in UTC with the microseconds we store, e.g. 2026-12-02T07:23:43.5Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day(value: date) -> str:
    return value.isoformat()


def meta(last_updated: datetime | None) -> dict[str, str]:
    return {"lastUpdated": instant(last_updated)} if last_updated is not None else {}


def resource(resource_type: str, resource_id: str, **elements: Any) -> Resource:
    """A resource with its type and id first; elements that are None, "" or empty are left
    out, as FHIR JSON never carries empty values."""
    found: Resource = {"resourceType": resource_type, "id": resource_id}
    found.update({name: value for name, value in elements.items() if not _empty(value)})
    return found


def compact(**elements: Any) -> dict[str, Any]:
    """An element without its empty parts."""
    return {name: value for name, value in elements.items() if not _empty(value)}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def extension(url: str, **value: Any) -> dict[str, Any]:
    """``extension(url, valueBoolean=True)``."""
    return {"url": url, **value}
