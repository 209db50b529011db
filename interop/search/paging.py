"""Paging through a search's matches with a keyset cursor: pages never shift.

Matches are in the order of their last update (then by kind of record and primary key;
records that keep no update time in primary-key order). A cursor names the next match itself,
not how many came before it, so rows added or changed while a client pages through never
make it skip or repeat a match it has not reached: new and changed records come at the end.
A cursor is signed, so a client cannot hand us a position we did not give it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from interop.mapping import Resource
from interop.search.params import Query, SearchError
from interop.search.registry import ResourceType, Source

_SALT = "interop.search.cursor"


@dataclass(frozen=True, order=True)
class Position:
    """Where a match is in the order: its record's update time, the source's index, the
    record's primary key, and which of the record's resources it is."""

    updated: str  # ISO time, or "" for sources that keep none
    source: int
    pk: int
    part: int = 0

    def token(self) -> str:
        return signing.dumps([self.updated, self.source, self.pk, self.part], salt=_SALT)

    @classmethod
    def from_token(cls, token: str) -> Position:
        try:
            updated, source, pk, part = signing.loads(token, salt=_SALT)
            return cls(str(updated), int(source), int(pk), int(part))
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise SearchError("This _cursor is not one we gave: start the search again.") from error


@dataclass(frozen=True)
class Match:
    position: Position
    source: Source
    record: Any
    resource: Resource


@dataclass(frozen=True)
class Page:
    matches: list[Match]
    next: Position | None
    total: int | None


def _ordered(source: Source, records: QuerySet[Any]) -> QuerySet[Any]:
    return records.order_by(source.updated, "pk") if source.updated else records.order_by("pk")


def _updated_of(source: Source, record: Any) -> str:
    if not source.updated:
        return ""
    moment: datetime = getattr(record, source.updated)
    # Fixed width in UTC, so positions compare as the times do.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _after(source: Source, index: int, cursor: Position | None) -> Q:
    """The records of this source at or after the cursor's record."""
    if cursor is None:
        return Q()
    if not source.updated:
        if index > cursor.source:
            return Q()
        return Q(pk__gte=cursor.pk) if index == cursor.source else Q(pk__in=[])
    moment = datetime.fromisoformat(cursor.updated)
    later = Q(**{f"{source.updated}__gt": moment})
    if index > cursor.source:
        return later | Q(**{source.updated: moment})
    if index == cursor.source:
        return later | Q(**{source.updated: moment, "pk__gte": cursor.pk})
    return later


def selected(
    resource_type: ResourceType, query: Query, index: int, extra: Q | None = None
) -> QuerySet[Any]:
    """One source's matching records, in order."""
    source = resource_type.sources[index]
    records = source.records().filter(query.where[source.prefix])
    if extra is not None:
        records = records.filter(extra)
    if source.identifier and "__" in source.identifier[1]:
        records = records.distinct()  # an identifier reached through a to-many relation
    return _ordered(source, records)


def _matches(
    resource_type: ResourceType, index: int, records: QuerySet[Any], cursor: Position | None
) -> Iterator[Match]:
    source = resource_type.sources[index]
    for record in records:
        updated = _updated_of(source, record)
        for part, found in enumerate(source.resources(record)):
            position = Position(updated, index, record.pk, part)
            if cursor is not None and position < cursor:
                continue
            yield Match(position, source, record, found)


def search(resource_type: ResourceType, query: Query) -> Page:
    """One page of matches of a type with records behind it, and where the next starts."""
    cursor = Position.from_token(query.cursor) if query.cursor else None
    streams = []
    for index, source in enumerate(resource_type.sources):
        records = selected(resource_type, query, index, _after(source, index, cursor))
        # Every record yields at least one resource, so count + 1 records are enough to fill
        # a page and to know whether another follows.
        streams.append(_matches(resource_type, index, records[: query.count + 1], cursor))
    merged = heapq.merge(*streams, key=lambda match: match.position)
    matches: list[Match] = []
    following: Position | None = None
    for match in merged:
        if query.ids is not None and match.resource["id"] not in query.ids:
            continue
        if len(matches) == query.count:
            following = match.position
            break
        matches.append(match)
    return Page(matches, following, _total(resource_type, query))


def _total(resource_type: ResourceType, query: Query) -> int | None:
    """How many match, when each record is one resource (not for Flag, where an intake
    can raise several) and the client did not ask to skip it."""
    if not query.total or any(source.prefix == "flag" for source in resource_type.sources):
        return None
    return sum(
        selected(resource_type, query, index).count() for index in range(len(resource_type.sources))
    )


def fixed_matches(resource_type: ResourceType, query: Query) -> list[Resource]:
    """The definitional resources (Questionnaire, CodeSystem, Organization) a query names."""
    assert resource_type.fixed is not None
    return [
        found
        for found in resource_type.fixed()
        if (query.ids is None or found["id"] in query.ids)
        and (query.urls is None or found.get("url") in query.urls)
    ]
