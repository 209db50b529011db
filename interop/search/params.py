"""Reading a search's parameters: every one we support, checked, as database filters.

Unknown parameters are refused rather than ignored: a misspelt ``authored`` must not turn
"yesterday's requests" into "every request".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict

from interop.identifiers import identifier_system, parse_resource_id
from interop.search.registry import ResourceType, Source

# Accepted and without effect: the answer is JSON, sorted by last update, whatever these say.
IGNORED = {"_format", "_pretty", "_sort"}
_DATE = re.compile(
    r"(?P<prefix>eq|gt|ge|lt|le)?"
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


class SearchError(ValueError):
    """A parameter we cannot honour; the message says which and why."""


@dataclass
class Query:
    """A search, parsed: filters per source prefix, and the paging options."""

    where: dict[str, Q] = field(default_factory=dict)
    count: int = 50
    cursor: str = ""
    total: bool = True
    # _id and url of definitional resources, matched against the resources themselves.
    ids: set[str] | None = None
    urls: set[str] | None = None


def parse(resource_type: ResourceType, params: QueryDict) -> Query:
    supported = resource_type.search_parameters
    query = Query(
        where={source.prefix: Q() for source in resource_type.sources},
        count=settings.FHIR_PAGE_SIZE,
    )
    unknown = sorted(
        name
        for name in params
        if name not in supported
        and name not in IGNORED
        and name not in ("_count", "_cursor", "_total")
    )
    if unknown:
        raise SearchError(
            f"{resource_type.name} cannot be searched by {', '.join(unknown)}; it supports "
            f"{', '.join(sorted(supported))}."
        )
    for name in params:
        for value in params.getlist(name):
            _apply(resource_type, query, name, value)
    return query


def _apply(resource_type: ResourceType, query: Query, name: str, value: str) -> None:
    if name in IGNORED:
        return
    if name == "_count":
        query.count = _count(value)
    elif name == "_cursor":
        query.cursor = value
    elif name == "_total":
        if value not in ("none", "accurate", "estimate"):
            raise SearchError("_total must be none, accurate or estimate.")
        query.total = value != "none"
    elif name == "_id":
        ids = set(_values(name, value))
        query.ids = ids if query.ids is None else query.ids & ids
        if resource_type.sources:
            _narrow(query, resource_type, lambda source: _id_filter(source, ids))
    elif name == "url":
        urls = set(_values(name, value))
        query.urls = urls if query.urls is None else query.urls & urls
    elif name == "identifier":
        tokens = _values(name, value)
        _narrow(query, resource_type, lambda source: _identifier_filter(source, tokens))
    elif name == "patient":
        pks = [_patient_pk(one) for one in _values(name, value)]
        _narrow(
            query,
            resource_type,
            lambda source: Q(**{f"{source.patient}__in": pks}) if source.patient else None,
        )
    elif name == "status":
        wanted = set(_values(name, value))
        _narrow(
            query, resource_type, lambda source: source.status(wanted) if source.status else None
        )
    elif name == "_lastUpdated":
        _narrow(
            query,
            resource_type,
            lambda source: _date_filter(source.updated, value) if source.updated else None,
        )
    else:  # the type's date parameter
        _narrow(
            query,
            resource_type,
            lambda source: (
                _date_filter(source.date.field, value)
                if source.date and source.date.name == name
                else None
            ),
        )


def _narrow(
    query: Query, resource_type: ResourceType, condition: Callable[[Source], Q | None]
) -> None:
    """AND a condition into each source's filter; a source the parameter does not apply to
    (None) matches nothing."""
    for source in resource_type.sources:
        found = condition(source)
        query.where[source.prefix] &= found if found is not None else Q(pk__in=[])


def _values(name: str, value: str) -> list[str]:
    values = [part.strip() for part in value.split(",")]
    if not value or any(not part for part in values):
        raise SearchError(f"{name} needs a value (several may be separated by commas).")
    return values


def _count(value: str) -> int:
    if not value.isdigit():
        raise SearchError("_count must be a whole number.")
    return min(int(value), settings.FHIR_PAGE_MAX)


def _id_filter(source: Source, ids: set[str]) -> Q:
    pks = [
        parsed.pk
        for one in ids
        if (parsed := parse_resource_id(one)) is not None and parsed.prefix == source.prefix
    ]
    return Q(pk__in=pks)


def _identifier_filter(source: Source, tokens: list[str]) -> Q | None:
    if source.identifier is None:
        return None
    kind, lookup = source.identifier
    values = []
    for token in tokens:
        system, bar, code = token.rpartition("|")
        if bar and system and system != identifier_system(kind):
            continue
        values.append(code)
    if lookup == "pk":
        values = [value for value in values if value.isdigit()]
    return Q(**{f"{lookup}__in": values})


def _patient_pk(value: str) -> int:
    _type, _slash, resource_id = value.rpartition("/")
    if _type not in ("", "Patient"):
        raise SearchError(f"patient must name a Patient, not {value!r}.")
    parsed = parse_resource_id(resource_id)
    if parsed is None or parsed.prefix != "patient":
        raise SearchError(f"No patient has the id {resource_id!r}.")
    return parsed.pk


def parse_date(value: str, name: str = "date") -> tuple[str, datetime, datetime]:
    """The prefix of a date parameter and the interval its value covers: a day in the
    clinic's time zone, a month, a year, or one instant (to the second or finer)."""
    match = _DATE.fullmatch(value)
    if match is None:
        raise SearchError(
            f"{name}={value!r} is not a date: use for example ge2026-11-30 or "
            "gt2026-11-30T09:00:00Z (prefixes eq, gt, ge, lt, le)."
        )
    prefix = match["prefix"] or "eq"
    zone = ZoneInfo(settings.TIME_ZONE)
    try:
        year, month, day_ = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
        if match["time"]:
            moment = datetime.fromisoformat(
                f"{match['year']}-{match['month']}-{match['day']}T{match['time']}"
                f"{(match['zone'] or '').replace('Z', '+00:00')}"
            )
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            # The value covers its own precision: a minute, a second, or (with a fraction)
            # the instant itself, to the microsecond we store.
            if "." in match["time"]:
                width = timedelta(microseconds=1)
            else:
                width = timedelta(seconds=1 if match["time"].count(":") == 2 else 60)
            return prefix, moment, moment + width
        start = datetime(year, month, day_, tzinfo=zone)
    except ValueError as error:
        raise SearchError(f"{name}={value!r} is not a real date.") from error
    if match["day"]:
        end = start + timedelta(days=1)
    elif match["month"]:
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    else:
        end = datetime(year + 1, 1, 1, tzinfo=zone)
    return prefix, start.astimezone(UTC), end.astimezone(UTC)


def _date_filter(field_name: str, value: str) -> Q:
    prefix, start, end = parse_date(value)
    match prefix:
        case "gt":
            return Q(**{f"{field_name}__gte": end})
        case "ge":
            return Q(**{f"{field_name}__gte": start})
        case "lt":
            return Q(**{f"{field_name}__lt": start})
        case "le":
            return Q(**{f"{field_name}__lt": end})
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
