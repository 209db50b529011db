"""Small factories for tests: fake people, the clinic's sites, and valid intakes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model

from conditions.prescreen import prescreen
from conditions.rules import Ruleset
from intake.models import AppointmentRequest, Intake, Location, Therapist
from intake.questionnaire import KNEE_V1, SAFETY
from intake.services.submission import PatientDetails, RequestDetails, intake_submit

RED_FLAG_ITEMS = tuple(item.link_id for item in KNEE_V1.items_in(SAFETY))


def valid_answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid, unremarkable answer set (gradual front-knee ache, no red flags)."""
    answers: dict[str, Any] = dict.fromkeys(RED_FLAG_ITEMS, False)
    answers.update(
        side="right",
        pain_location=["front"],
        onset="gradual",
        duration="1_to_6_weeks",
        pain_now=3,
        pain_worst_week=5,
        aggravators=["running", "stairs_down"],
        morning_stiffness="none",
        stiff_after_rest=False,
        swelling="none",
        tender_lump=False,
        mechanical=[],
        kneecap_dislocation="never",
        kneecap_unstable=False,
        alignment="straight",
        gait_changed=False,
        training_change=False,
        previous_injury=False,
        previous_surgery=False,
        diagnosed_arthritis=False,
    )
    answers.update(changes)
    return answers


def runners_knee_answers() -> dict[str, Any]:
    """Front-knee pain on stairs, squats and sitting: runner's knee under every ruleset."""
    return valid_answers(aggravators=["stairs_down", "squatting", "prolonged_sitting"])


def dislocation_answers() -> dict[str, Any]:
    """A twist with a pop and giving way in a knee whose kneecap has come out: knee-v1 read
    it as an ACL tear (tendon_ligament), knee-v2 as patellar instability (anatomical)."""
    return valid_answers(
        onset="injury",
        duration="6_weeks_to_3_months",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="later",
        rapid_bruising=True,
        pain_location=["inner"],
        aggravators=["twisting"],
        mechanical=["giving_way"],
        kneecap_dislocation="once",
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.example")
    is_staff = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Site {n}")
    address = factory.Faker("street_address")
    phone = "(555) 010-0199"


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapist
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    accepting_new_patients = True

    @factory.post_generation
    def locations(self, create: bool, extracted: list[Location] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.locations.set(extracted)


def patient_details(**changes: Any) -> PatientDetails:
    values: dict[str, Any] = {
        "first_name": "Alex",
        "last_name": "Runner",
        "date_of_birth": date(1990, 5, 17),
        "email": "alex.runner@example.com",
        "phone": "+1 555 010 0142",
        "preferred_contact": "email",
    }
    return PatientDetails(**{**values, **changes})


def submit_intake(
    *,
    answers: dict[str, Any] | None = None,
    location: Location | None = None,
    patient: PatientDetails | None = None,
    now: datetime | None = None,
    knee_notes: str = "",
    **request_changes: Any,
) -> AppointmentRequest:
    """Submit a valid intake through the real service, as the website does."""
    details = RequestDetails(
        location=location or LocationFactory(),
        preferred_times=["weekday_morning"],
        **request_changes,
    )
    return intake_submit(
        answers=answers if answers is not None else valid_answers(),
        patient=patient or patient_details(),
        request_details=details,
        submission_token=uuid.uuid4(),
        knee_notes=knee_notes,
        now=now,
    )


def screened_with(ruleset: Ruleset, appointment_request: AppointmentRequest) -> AppointmentRequest:
    """`appointment_request` as if its intake had been screened with `ruleset` when it was
    submitted, as intakes stored before a newer ruleset was released were (the submission
    service always uses the current one)."""
    intake = appointment_request.intake
    result = prescreen(intake.answers, intake.age_at_submission, ruleset)
    Intake.objects.filter(pk=intake.pk).update(
        prescreen=result.as_dict(),
        ruleset_version=ruleset.version,
        triage=result.triage,
        top_category=result.top_category or "",
        needs_review=result.needs_review,
    )
    intake.refresh_from_db()
    return appointment_request
