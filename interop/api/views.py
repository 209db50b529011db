"""The read API's views: thin, each parses the request, checks the caller and calls one
selector. Every resource read is recorded in the audit trail with the client's name."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from audit.access import record_access_by
from clinic.network import client_ip
from interop.api.auth import SystemAccess, authenticate
from interop.api.capability import capability_statement, smart_configuration
from interop.api.responses import error, fhir_response, not_found
from interop.identifiers import api_base, parse_resource_id
from interop.search import paging, params
from interop.search.registry import ResourceType, resource_type

View = Callable[..., HttpResponse]
_ACCEPTED = ("application/fhir+json", "application/json", "*/*", "application/*", "json")


def fhir_view(view: View) -> View:
    """GET only; JSON only; a bad search parameter is a 400, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return error(405, "not-supported", "This API is read-only: use GET.", Allow="GET")
        accept = request.headers.get("Accept", "")
        if accept and not any(kind in accept for kind in _ACCEPTED):
            return error(406, "not-supported", "Only application/fhir+json is served.")
        fmt = request.GET.get("_format", "")
        if fmt and not any(kind in fmt for kind in _ACCEPTED):
            return error(406, "not-supported", "_format: only json is served.")
        try:
            return view(request, *args, **kwargs)
        except params.SearchError as problem:
            return error(400, "invalid", str(problem))

    return never_cache(csrf_exempt(wrapper))


@fhir_view
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement())


@fhir_view
def smart_config(request: HttpRequest) -> HttpResponse:
    response = fhir_response(smart_configuration())
    response["Content-Type"] = "application/json"
    return response


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """django-oauth-toolkit's token endpoint, with a limit per address against guessing."""
    try:
        limited = is_ratelimited(
            request,
            group="fhir-token",
            key=lambda group, request: client_ip(request) or "unknown",
            rate=settings.FHIR_TOKEN_RATE,
            increment=True,
        )
    except RedisError:
        limited = False  # a cache outage must not lock the record system out
    if limited:
        return HttpResponse('{"error": "slow_down"}', status=429, content_type="application/json")
    # The toolkit's views load its validator module (requests, jwcrypto's JWS): only here.
    from oauth2_provider.views import TokenView

    response: HttpResponse = TokenView.as_view()(request)
    return response


def _known_type(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, type_name: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = resource_type(type_name)
        if found is None:
            return error(404, "not-supported", f"This server holds no {type_name} resources.")
        access = authenticate(request)
        if isinstance(access, HttpResponse):
            return access
        refused = access.refused(found.name)
        if refused is not None:
            return refused
        return view(request, found, access, *args, **kwargs)

    return wrapper


def _entry(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "fullUrl": f"{api_base()}/{found['resourceType']}/{found['id']}",
        "resource": found,
        "search": {"mode": "match"},
    }


def _page_url(request: HttpRequest, type_name: str, cursor: str = "") -> str:
    query = [
        (name, one) for name, values in request.GET.lists() for one in values if name != "_cursor"
    ]
    if cursor:
        query.append(("_cursor", cursor))
    encoded = urlencode(query)
    return f"{api_base()}/{type_name}" + (f"?{encoded}" if encoded else "")


@fhir_view
@_known_type
def search(request: HttpRequest, found: ResourceType, access: SystemAccess) -> HttpResponse:
    query = params.parse(found, request.GET)
    links = [{"relation": "self", "url": _page_url(request, found.name, query.cursor)}]
    if found.fixed is not None:
        resources = paging.fixed_matches(found, query)
        bundle_total: int | None = len(resources)
    else:
        page = paging.search(found, query)
        resources = [match.resource for match in page.matches]
        bundle_total = page.total
        if page.next is not None:
            links.append(
                {"relation": "next", "url": _page_url(request, found.name, page.next.token())}
            )
        record_access_by(
            actor=access.actor,
            instances=[match.source.audited_record(match.record) for match in page.matches],
            remote_addr=access.address,
            note=f"FHIR search {found.name}",
        )
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset"}
    if bundle_total is not None:
        bundle["total"] = bundle_total
    bundle["link"] = links
    bundle["entry"] = [_entry(one) for one in resources]
    return fhir_response(bundle)


@fhir_view
@_known_type
def read(
    request: HttpRequest, found: ResourceType, access: SystemAccess, resource_id: str
) -> HttpResponse:
    missing = not_found(f"{found.name}/{resource_id} is not known.")
    if found.fixed is not None:
        matches = [one for one in found.fixed() if one["id"] == resource_id]
        return fhir_response(matches[0]) if matches else missing
    parsed = parse_resource_id(resource_id)
    for source in found.sources:
        if parsed is None or parsed.prefix != source.prefix:
            continue
        record = source.records().filter(pk=parsed.pk).first()
        if record is None:
            continue
        for one in source.resources(record):
            if one["id"] == resource_id:
                record_access_by(
                    actor=access.actor,
                    instances=[source.audited_record(record)],
                    remote_addr=access.address,
                    note=f"FHIR read {found.name}/{resource_id}",
                )
                return fhir_response(one)
    return missing


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error(404, "not-supported", f"There is nothing at /fhir/R4/{rest}.")
