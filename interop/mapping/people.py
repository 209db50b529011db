"""Who and where: Patient, Practitioner, PractitionerRole, Location and Organization.

None of these carries clinical detail: a Patient is what the front desk sees.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User

from intake.models import ContactMethod, Location, Patient, Therapist
from interop.codes import (
    BCP47,
    CATEGORY,
    HEALTHCARE_PROVIDER,
    PHYSICAL_THERAPIST_NUCC,
    PHYSIOTHERAPIST,
)
from interop.identifiers import ORGANIZATION_ID, identifier_system, reference, resource_id
from interop.mapping import Resource
from interop.mapping.elements import compact, day, meta, resource
from interop.mapping.translations import bcp47

ORGANIZATION = reference("Organization", ORGANIZATION_ID)


def patient_resource(patient: Patient) -> Resource:
    """The patient's details as they gave them. Reads ``patient.requests`` (prefetch it): the
    references of their requests are the identifiers a practice system searches by."""
    preferred = patient.preferred_contact
    telecom = [
        compact(
            system="phone",
            value=patient.phone,
            use="mobile",
            rank=1 if preferred == ContactMethod.PHONE else None,
        ),
        compact(
            system="sms",
            value=patient.phone,
            use="mobile",
            rank=1 if preferred == ContactMethod.SMS else None,
        ),
        compact(
            system="email",
            value=patient.email,
            rank=1 if preferred == ContactMethod.EMAIL else None,
        ),
    ]
    return resource(
        "Patient",
        resource_id("patient", patient.pk),
        meta=meta(patient.updated_at),
        identifier=[
            {"system": identifier_system("request"), "value": appointment_request.reference}
            for appointment_request in patient.requests.all()
        ],
        active=True,
        name=[{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        telecom=[point for point in telecom if point.get("value")],
        birthDate=day(patient.date_of_birth),
        communication=[{"language": _language(patient), "preferred": True}],
        managingOrganization=ORGANIZATION,
    )


def _language(patient: Patient) -> dict[str, object]:
    """The patient's language as a BCP-47 coding ("es", "en-US"), named in English."""
    name = patient.get_preferred_language_display()
    coding = {"system": BCP47, "code": bcp47(patient.preferred_language), "display": name}
    return {"coding": [coding], "text": name}


def practitioner_id(user_pk: int) -> str:
    return resource_id("user", user_pk)


def practitioner_reference(user: User) -> dict[str, str]:
    return reference("Practitioner", practitioner_id(user.pk), _name(user))


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def practitioner_resource(user: User) -> Resource:
    """A therapist, or another clinician who reviewed an intake or wrote a referral."""
    return resource(
        "Practitioner",
        practitioner_id(user.pk),
        active=user.is_active,
        name=[
            compact(
                text=_name(user),
                family=user.last_name,
                given=[user.first_name] if user.first_name else None,
            )
        ],
    )


def practitioner_role_resource(therapist: Therapist) -> Resource:
    """A therapist's role at the clinic: the sites they work at and the categories they
    treat. Reads ``therapist.user``, ``.locations`` and ``.specialties`` (prefetch them)."""
    return resource(
        "PractitionerRole",
        resource_id("therapist", therapist.pk),
        active=therapist.user.is_active,
        practitioner=practitioner_reference(therapist.user),
        organization=ORGANIZATION,
        code=[{"coding": [PHYSIOTHERAPIST.coding(), PHYSICAL_THERAPIST_NUCC.coding()]}],
        specialty=[
            CATEGORY.code(specialty.code).concept() for specialty in therapist.specialties.all()
        ],
        location=[
            reference("Location", resource_id("location", location.pk), location.name)
            for location in therapist.locations.all()
        ],
    )


def location_resource(location: Location) -> Resource:
    return resource(
        "Location",
        resource_id("location", location.pk),
        status="active" if location.is_active else "inactive",
        name=location.name,
        mode="instance",
        telecom=[{"system": "phone", "value": location.phone}] if location.phone else None,
        address={"text": location.address} if location.address else None,
        managingOrganization=ORGANIZATION,
    )


def organization_resource() -> Resource:
    """The clinic itself, as the settings name it."""
    return resource(
        "Organization",
        ORGANIZATION_ID,
        active=True,
        type=[HEALTHCARE_PROVIDER.concept()],
        name=settings.CLINIC_NAME,
        telecom=[{"system": "phone", "value": settings.CLINIC_PHONE}],
    )
