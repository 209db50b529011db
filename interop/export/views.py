"""The bulk export's addresses: kick-off (``$export``, ``Patient/$export``), the status
URL the client polls (and may DELETE to cancel), and the files, each only for the client
that asked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from interop.api.auth import SystemAccess, authenticate
from interop.api.responses import error, fhir_response, not_found, operation_outcome
from interop.export.services import (
    OUTPUT_FORMATS,
    ExportRefused,
    export_cancel,
    export_file_path,
    export_start,
    storage,
)
from interop.identifiers import api_base
from interop.mapping.elements import instant
from interop.models import ExportJob, ExportLevel, ExportStatus
from interop.search.params import SearchError, parse_date

_OPTIONS = {"_outputFormat", "_since", "_type"}


def status_url(job: ExportJob) -> str:
    return f"{api_base()}/$export-status/{job.pk}"


def file_url(job: ExportJob, name: str) -> str:
    return f"{api_base()}/$export-file/{job.pk}/{name}"


def _kick_off(request: HttpRequest, level: str) -> HttpResponse:
    if request.method != "GET":
        return error(405, "not-supported", "Start an export with GET.", Allow="GET")
    access = authenticate(request)
    if isinstance(access, HttpResponse):
        return access
    if "respond-async" not in request.headers.get("Prefer", ""):
        return error(400, "invalid", "A bulk export needs the header Prefer: respond-async.")
    unknown = sorted(set(request.GET) - _OPTIONS)
    if unknown:
        return error(400, "invalid", f"$export does not take {', '.join(unknown)}.")
    output_format = request.GET.get("_outputFormat")
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        return error(400, "invalid", "_outputFormat: only application/fhir+ndjson is written.")
    try:
        since = _since(request.GET.get("_since"))
    except SearchError as problem:
        return error(400, "invalid", str(problem))
    types = request.GET.get("_type")
    type_names = [name.strip() for name in types.split(",") if name.strip()] if types else None
    try:
        job = export_start(
            client=access.client,
            readable=access.types,
            level=level,
            type_names=type_names,
            since=since,
            request_url=request.build_absolute_uri(),
        )
    except ExportRefused as refused:
        code = {403: "forbidden", 429: "throttled"}.get(refused.status, "invalid")
        return error(refused.status, code, str(refused))
    return fhir_response(
        operation_outcome("informational", "The export has started.", severity="information"),
        status=202,
        Content_Location=status_url(job),
    )


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    _prefix, start, _end = parse_date(value, "_since")
    return start


@never_cache
@csrf_exempt
def system_export(request: HttpRequest) -> HttpResponse:
    return _kick_off(request, ExportLevel.SYSTEM)


@never_cache
@csrf_exempt
def patient_export(request: HttpRequest) -> HttpResponse:
    return _kick_off(request, ExportLevel.PATIENT)


def _own_job(request: HttpRequest, job_id: str) -> tuple[SystemAccess, ExportJob] | HttpResponse:
    access = authenticate(request)
    if isinstance(access, HttpResponse):
        return access
    job = ExportJob.objects.filter(pk=job_id, client=access.client).first()
    if job is None:
        # Another client's export is as unknown to this one as an export that never was.
        return not_found("There is no such export.")
    return access, job


@never_cache
@csrf_exempt
def export_status(request: HttpRequest, job_id: str) -> HttpResponse:
    found = _own_job(request, job_id)
    if isinstance(found, HttpResponse):
        return found
    _access, job = found
    if request.method == "DELETE":
        if export_cancel(job=job):
            return fhir_response(
                operation_outcome("informational", "Cancelled.", severity="information"), 202
            )
        return not_found("This export is already over.")
    if request.method != "GET":
        return error(405, "not-supported", "GET the status, or DELETE to cancel.")
    if job.status in (ExportStatus.ACCEPTED, ExportStatus.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = job.progress or "Waiting to start"
        response["Retry-After"] = "2"
        return response
    if job.status == ExportStatus.FAILED:
        return error(500, "exception", job.error or "The export failed.")
    if job.status in (ExportStatus.CANCELLED, ExportStatus.EXPIRED):
        return not_found(f"This export was {job.get_status_display().lower()}.")
    return _manifest(job)


def _manifest(job: ExportJob) -> HttpResponse:
    manifest: dict[str, Any] = {
        "transactionTime": instant(job.created_at),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": entry["type"], "url": file_url(job, entry["name"]), "count": entry["count"]}
            for entry in job.output
        ],
        "error": [],
    }
    response = fhir_response(manifest)
    response["Content-Type"] = "application/json"
    if job.expires_at is not None:
        response["Expires"] = http_date(job.expires_at.timestamp())
    return response


@never_cache
@csrf_exempt
def export_file(request: HttpRequest, job_id: str, name: str) -> HttpResponseBase:
    found = _own_job(request, job_id)
    if isinstance(found, HttpResponse):
        return found
    _access, job = found
    path = export_file_path(job, name)
    if path is None or not storage().exists(path):
        return not_found("There is no such file (it may have expired).")
    return FileResponse(storage().open(path, "rb"), content_type="application/fhir+ndjson")
