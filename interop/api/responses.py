"""FHIR JSON responses, and errors as OperationOutcome with the HTTP status that fits."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json; charset=utf-8"


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type=FHIR_JSON,
        status=status,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    # Patient data: no cache, shared or private, keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def error(status: int, code: str, diagnostics: str, **headers: str) -> HttpResponse:
    """An OperationOutcome with one issue. ``code`` is from FHIR's issue-type codes:
    invalid, login, forbidden, not-found, not-supported, throttled, processing..."""
    return fhir_response(operation_outcome(code, diagnostics), status=status, **headers)


def unauthorized(diagnostics: str, token_error: str = "") -> HttpResponse:
    challenge = 'Bearer realm="fhir"' + (f', error="{token_error}"' if token_error else "")
    return error(401, "login", diagnostics, WWW_Authenticate=challenge)


def not_found(diagnostics: str) -> HttpResponse:
    return error(404, "not-found", diagnostics)
