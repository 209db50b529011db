"""Which records each resource type we serve comes from, and how to find them.

A resource type has one or more *sources*: a kind of record, the query that selects it with
everything its mapping reads, and the mapping. The search parameters a type supports, the
CapabilityStatement, the scopes a client can be given and the bulk export all derive from
this one table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet

from conditions.categories import Triage
from intake.models import AppointmentRequest, Intake, Location, Patient, Referral, Review, Therapist
from intake.questionnaire import QUESTIONNAIRES
from interop.codes import all_code_systems
from interop.mapping import Resource
from interop.mapping.codesystems import code_system_resource
from interop.mapping.people import (
    location_resource,
    organization_resource,
    patient_resource,
    practitioner_resource,
    practitioner_role_resource,
)
from interop.mapping.prescreen import flag_resources, provenance_resource, risk_assessment_resource
from interop.mapping.questionnaire import questionnaire_resource, questionnaire_response_resource
from interop.mapping.requests import (
    APPOINTMENT_STATUS,
    REFERRAL_SERVICE_REQUEST_STATUS,
    SERVICE_REQUEST_STATUS,
    appointment_request_resource,
    appointment_resource,
    referral_resource,
)


def _one(mapping: Callable[[Any], Resource]) -> Callable[[Any], list[Resource]]:
    def resources(record: Any) -> list[Resource]:
        return [mapping(record)]

    return resources


def _statuses(table: dict[str, str], field_name: str = "status") -> Callable[[set[str]], Q]:
    """A status filter: the FHIR statuses asked for, as our statuses that map to them."""

    def where(wanted: set[str]) -> Q:
        ours = [status for status, fhir in table.items() if fhir in wanted]
        return Q(**{f"{field_name}__in": ours})

    return where


def _fixed_status(status: str) -> Callable[[set[str]], Q]:
    """Records whose resources all have one status: all of them, or none."""

    def where(wanted: set[str]) -> Q:
        return Q() if status in wanted else Q(pk__in=[])

    return where


@dataclass(frozen=True)
class DateParameter:
    name: str  # the FHIR search parameter: authored, date, recorded...
    field: str


@dataclass(frozen=True)
class Source:
    """One kind of record behind a resource type."""

    prefix: str  # of the resource ids: request-12
    records: Callable[[], QuerySet[Any]]  # selected with what the mapping reads
    resources: Callable[[Any], list[Resource]]
    # The field meta.lastUpdated comes from: the order of results, _lastUpdated and _since.
    # None when the record keeps no such time (results in primary-key order).
    updated: str | None = None
    patient: str | None = None  # lookup of the patient's primary key
    date: DateParameter | None = None
    identifier: tuple[str, str] | None = None  # (identifier system kind, field)
    status: Callable[[set[str]], Q] | None = None
    # The audited record a read of these resources is logged against (default: the record).
    audited: Callable[[Any], Model] | None = None

    def audited_record(self, record: Any) -> Model:
        return self.audited(record) if self.audited is not None else record


@dataclass(frozen=True)
class ResourceType:
    name: str
    sources: tuple[Source, ...] = ()
    # Definitional resources, the same for everybody (no records behind them).
    fixed: Callable[[], list[Resource]] | None = None
    clinical: bool = False  # reveals answers, the pre-screen or a clinician's reasoning
    patient_compartment: bool = False  # exported by Patient/$export
    description: str = ""
    fixed_search: tuple[str, ...] = field(default=())  # search parameters of fixed ones

    @property
    def search_parameters(self) -> dict[str, str]:
        """The parameters this type can be searched by, with their FHIR types."""
        found = {"_id": "token"}
        for name in self.fixed_search:
            found[name] = "uri" if name == "url" else "token"
        for source in self.sources:
            if source.updated:
                found["_lastUpdated"] = "date"
            if source.identifier:
                found["identifier"] = "token"
            if source.patient:
                found["patient"] = "reference"
            if source.status:
                found["status"] = "token"
            if source.date:
                found[source.date.name] = "date"
        return found


def _patients() -> QuerySet[Patient]:
    return Patient.objects.prefetch_related("requests")


def _intakes() -> QuerySet[Intake]:
    return Intake.objects.select_related("request")


def _with_red_flags() -> QuerySet[Intake]:
    # Triage is routine exactly when no red flag was raised.
    return Intake.objects.exclude(triage=Triage.ROUTINE)


def _intake_of(record: Any) -> Model:
    intake: Model = record.intake
    return intake


def _practitioners() -> QuerySet[Any]:
    """Therapists, and the staff who reviewed an intake or wrote a referral."""
    return (
        get_user_model()
        .objects.filter(
            Q(therapist__isnull=False)
            | Q(intake_reviews__isnull=False)
            | Q(referrals_written__isnull=False)
        )
        .distinct()
    )


def _questionnaires() -> list[Resource]:
    return [questionnaire_resource(declaration) for declaration in QUESTIONNAIRES.values()]


def _code_systems() -> list[Resource]:
    return [code_system_resource(declaration) for declaration in all_code_systems().values()]


_REQUEST_IDENTIFIER = ("request", "reference")

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    ResourceType(
        "Patient",
        (
            Source(
                "patient",
                _patients,
                _one(patient_resource),
                updated="updated_at",
                identifier=("request", "requests__reference"),
            ),
        ),
        patient_compartment=True,
        description="Each intake's patient: name, date of birth, contact details.",
    ),
    ResourceType(
        "ServiceRequest",
        (
            Source(
                "request",
                AppointmentRequest.objects.all,
                _one(appointment_request_resource),
                updated="updated_at",
                patient="patient_id",
                date=DateParameter("authored", "created_at"),
                identifier=_REQUEST_IDENTIFIER,
                status=_statuses(SERVICE_REQUEST_STATUS),
            ),
            Source(
                "referral",
                lambda: Referral.objects.select_related("intake", "created_by"),
                _one(referral_resource),
                updated="updated_at",
                patient="intake__patient_id",
                date=DateParameter("authored", "created_at"),
                identifier=("referral", "pk"),
                status=_statuses(REFERRAL_SERVICE_REQUEST_STATUS),
            ),
        ),
        clinical=True,
        patient_compartment=True,
        description="Appointment requests (front-desk detail) and therapists' outbound "
        "referrals (their reasons are clinical).",
    ),
    ResourceType(
        "Appointment",
        (
            Source(
                "request",
                lambda: AppointmentRequest.objects.select_related(
                    "scheduled_therapist__user"
                ).filter(scheduled_at__isnull=False, status__in=list(APPOINTMENT_STATUS)),
                _one(appointment_resource),
                updated="updated_at",
                patient="patient_id",
                date=DateParameter("date", "scheduled_at"),
                status=_statuses(APPOINTMENT_STATUS),
            ),
        ),
        patient_compartment=True,
        description="Booked visits.",
    ),
    ResourceType(
        "QuestionnaireResponse",
        (
            Source(
                "intake",
                _intakes,
                _one(questionnaire_response_resource),
                updated="submitted_at",
                patient="patient_id",
                date=DateParameter("authored", "submitted_at"),
                identifier=("request", "request__reference"),
                status=_fixed_status("completed"),
            ),
        ),
        clinical=True,
        patient_compartment=True,
        description="Each intake's answers.",
    ),
    ResourceType(
        "RiskAssessment",
        (
            Source(
                "prescreen",
                Intake.objects.all,
                _one(risk_assessment_resource),
                updated="submitted_at",
                patient="patient_id",
                date=DateParameter("date", "submitted_at"),
                status=_fixed_status("final"),
            ),
        ),
        clinical=True,
        patient_compartment=True,
        description="Each intake's pre-screen: triage, ranked categories, reasons.",
    ),
    ResourceType(
        "Flag",
        (
            Source(
                "flag",
                _with_red_flags,
                flag_resources,
                updated="submitted_at",
                patient="patient_id",
                date=DateParameter("date", "submitted_at"),
                status=_fixed_status("active"),
            ),
        ),
        clinical=True,
        patient_compartment=True,
        description="Each red flag an intake raised.",
    ),
    ResourceType(
        "Provenance",
        (
            Source(
                "review",
                lambda: Review.objects.select_related("reviewer"),
                _one(provenance_resource),
                updated="created_at",
                patient="intake__patient_id",
                date=DateParameter("recorded", "created_at"),
            ),
        ),
        clinical=True,
        patient_compartment=True,
        description="Who reviewed each pre-screen, and when.",
    ),
    ResourceType(
        "Practitioner",
        (Source("user", _practitioners, _one(practitioner_resource)),),
        description="Therapists and the clinicians who reviewed or referred.",
    ),
    ResourceType(
        "PractitionerRole",
        (
            Source(
                "therapist",
                lambda: Therapist.objects.select_related("user").prefetch_related(
                    "locations", "specialties"
                ),
                _one(practitioner_role_resource),
            ),
        ),
        description="Each therapist's sites and the categories they treat.",
    ),
    ResourceType(
        "Location",
        (Source("location", Location.objects.all, _one(location_resource)),),
        description="The clinic's sites.",
    ),
    ResourceType(
        "Organization",
        fixed=lambda: [organization_resource()],
        description="The clinic.",
    ),
    ResourceType(
        "Questionnaire",
        fixed=_questionnaires,
        fixed_search=("url",),
        description="The intake questionnaire, one per version.",
    ),
    ResourceType(
        "CodeSystem",
        fixed=_code_systems,
        fixed_search=("url",),
        description="The product's own codes.",
    ),
)
BY_NAME: dict[str, ResourceType] = {
    resource_type.name: resource_type for resource_type in RESOURCE_TYPES
}


def resource_type(name: str) -> ResourceType | None:
    return BY_NAME.get(name)


def types_named(names: Sequence[str]) -> list[ResourceType]:
    return [BY_NAME[name] for name in names]
