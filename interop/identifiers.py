"""Where our FHIR resources and codes live: resource ids, identifier systems, canonical URLs.

Resource ids are a prefix and a primary key (``request-12``); primary keys are never reused,
so neither is an id. A prefix names the record a resource comes from, so two kinds of record
mapped to one resource type (appointment requests and referrals as ``ServiceRequest``) never
share an id. Identifier systems and canonical URLs are under the clinic's own address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

ORGANIZATION_ID = "clinic"


def base() -> str:
    """The clinic's own namespace for identifier systems, code systems and extensions."""
    return f"{settings.SITE_URL}/fhir"


def api_base() -> str:
    """The FHIR R4 endpoint's absolute address (fullUrl of every resource it serves)."""
    return f"{settings.SITE_URL}/fhir/R4"


def identifier_system(kind: str) -> str:
    """``request`` (the reference patients read out over the phone), ``referral``..."""
    return f"{base()}/identifier/{kind}"


def code_system_url(name: str) -> str:
    return f"{base()}/CodeSystem/{name}"


def extension_url(name: str) -> str:
    return f"{base()}/StructureDefinition/{name}"


def questionnaire_url() -> str:
    """One canonical URL for the intake questionnaire; each version is `url|version`."""
    return f"{base()}/Questionnaire/knee-intake"


@dataclass(frozen=True)
class ResourceId:
    prefix: str
    pk: int
    # Flags: the red flag's code within the intake.
    part: str = ""

    def __str__(self) -> str:
        suffix = f"-{self.part.replace('_', '-')}" if self.part else ""
        return f"{self.prefix}-{self.pk}{suffix}"


_ID = re.compile(r"(?P<prefix>[a-z]+)-(?P<pk>[1-9][0-9]{0,17})(?:-(?P<part>[a-z0-9-]{1,40}))?")


def resource_id(prefix: str, pk: int, part: str = "") -> str:
    return str(ResourceId(prefix, pk, part))


def parse_resource_id(value: str) -> ResourceId | None:
    """The prefix, primary key and part of an id we made, or None for any other string."""
    match = _ID.fullmatch(value)
    if match is None:
        return None
    return ResourceId(match["prefix"], int(match["pk"]), match["part"] or "")


def reference(resource_type: str, resource_id_: str, display: str = "") -> dict[str, str]:
    """A relative reference, ``{"reference": "Patient/patient-3"}``."""
    found = {"reference": f"{resource_type}/{resource_id_}"}
    if display:
        found["display"] = display
    return found
