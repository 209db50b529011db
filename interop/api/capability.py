"""What the API can do, as a CapabilityStatement and as SMART configuration, both derived
from the registry of resource types (`interop.search.registry`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interop.api.scopes import all_scopes
from interop.identifiers import api_base
from interop.search.registry import RESOURCE_TYPES

# The day this API's capabilities last changed (CapabilityStatement.date).
CAPABILITIES_DATE = "2026-12-02"
BULK_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
BULK_PATIENT_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"


def token_url() -> str:
    return f"{api_base()}/auth/token"


def capability_statement() -> dict[str, Any]:
    resources = []
    for resource_type in RESOURCE_TYPES:
        entry: dict[str, Any] = {
            "type": resource_type.name,
            "documentation": resource_type.description,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": kind}
                for name, kind in resource_type.search_parameters.items()
            ],
        }
        if resource_type.name == "Patient":
            entry["operation"] = [{"name": "export", "definition": BULK_PATIENT_EXPORT}]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": CAPABILITIES_DATE,
        "publisher": settings.CLINIC_NAME,
        "kind": "instance",
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "software": {"name": "Knee clinic intake"},
        "implementation": {
            "description": f"{settings.CLINIC_NAME}: intakes, appointment requests and referrals",
            "url": api_base(),
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Systems authenticate with OAuth 2 client "
                "credentials (client_secret_basic or client_secret_post) at the token URL and "
                "send the token as a bearer token; scopes are system/<Type>.read or "
                "system/*.read. Results page with a _cursor; errors are OperationOutcome.",
                "security": {
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                            "extension": [{"url": "token", "valueUri": token_url()}],
                        }
                    ],
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                },
                "resource": resources,
                "operation": [{"name": "export", "definition": BULK_EXPORT}],
            }
        ],
    }


def smart_configuration() -> dict[str, Any]:
    return {
        "token_endpoint": token_url(),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": list(all_scopes()),
        "capabilities": ["client-confidential-symmetric", "permission-v1"],
    }
