"""A patient's whole record: every resource about the patient of one request, as a FHIR
Bundle, and the same records for the printable page. Reading it is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone

from audit.access import record_access_by
from intake.models import AppointmentRequest, Intake, Location, Referral, Review
from intake.questionnaire import questionnaire
from interop.identifiers import api_base
from interop.mapping import Resource
from interop.mapping.elements import instant
from interop.mapping.people import organization_resource, practitioner_resource
from interop.mapping.questionnaire import questionnaire_resource
from interop.search.paging import selected
from interop.search.params import Query
from interop.search.registry import RESOURCE_TYPES, resource_type

ACTOR = "The patient (own copy, after a code e-mailed to them)"


@dataclass
class PatientRecord:
    appointment_request: AppointmentRequest
    resources: list[Resource] = field(default_factory=list)
    audited: list[Model] = field(default_factory=list)

    def bundle(self) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": instant(timezone.now()),
            "entry": [
                {"fullUrl": f"{api_base()}/{one['resourceType']}/{one['id']}", "resource": one}
                for one in self.resources
            ],
        }

    @property
    def intakes(self) -> list[Intake]:
        return [record for record in self.audited if isinstance(record, Intake)]

    @property
    def referrals(self) -> list[Referral]:
        return [record for record in self.audited if isinstance(record, Referral)]

    @property
    def reviews(self) -> list[Review]:
        return [record for record in self.audited if isinstance(record, Review)]


def patient_record(*, appointment_request: AppointmentRequest) -> PatientRecord:
    """Everything the clinic holds about the patient who made this request: their details,
    requests, intakes (answers, pre-screen, red flags), referrals, visits and reviews, with
    the questionnaire, the clinicians, the site and the clinic they refer to."""
    patient_pk = appointment_request.patient_id
    record = PatientRecord(appointment_request)
    users: dict[int, Any] = {}
    versions: set[str] = set()
    for found in RESOURCE_TYPES:
        if not found.patient_compartment:
            continue
        for index, source in enumerate(found.sources):
            lookup = source.patient or "pk"
            query = Query(where={source.prefix: Q(**{lookup: patient_pk})})
            for row in selected(found, query, index):
                record.resources.extend(source.resources(row))
                record.audited.append(source.audited_record(row))
                if isinstance(row, Intake):
                    versions.add(row.questionnaire_version)
                for user in _clinicians(row):
                    users[user.pk] = user
    location_type = resource_type("Location")
    assert location_type is not None
    locations = Location.objects.filter(requests__patient_id=patient_pk).distinct()
    record.resources.extend(location_type.sources[0].resources(loc)[0] for loc in locations)
    record.resources.extend(practitioner_resource(user) for user in users.values())
    record.resources.append(organization_resource())
    record.resources.extend(
        questionnaire_resource(questionnaire(version)) for version in sorted(versions)
    )
    return record


def _clinicians(row: Any) -> list[Any]:
    if isinstance(row, Review):
        return [row.reviewer]
    if isinstance(row, Referral):
        return [row.created_by]
    if isinstance(row, AppointmentRequest) and row.scheduled_therapist_id:
        therapist = row.scheduled_therapist
        return [therapist.user] if therapist is not None else []
    return []


def patient_record_read(*, record: PatientRecord, how: str, remote_addr: str | None) -> None:
    """Put the patient's reading of their record in the audit trail: one entry per record."""
    record_access_by(actor=ACTOR, instances=record.audited, remote_addr=remote_addr, note=how)
