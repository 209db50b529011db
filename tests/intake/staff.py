"""Helpers for the staff-side tests: users in the real roles (as the migration made them)
and intakes submitted through the real service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.test import Client

from intake.models import AppointmentRequest, Location, Therapist
from staff import roles
from tests.factories import (
    LocationFactory,
    TherapistFactory,
    UserFactory,
    patient_details,
    submit_intake,
    valid_answers,
)

ROLES = ("anonymous", roles.FRONT_DESK, roles.THERAPIST, roles.CLINIC_MANAGER)


def staff_user(role: str, **fields: Any) -> Any:
    """A staff member whose only permissions come from the role's group."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def therapist_at(location: Location, **fields: Any) -> Therapist:
    """A therapist (in the Therapist role) who works at `location`."""
    therapist = TherapistFactory(locations=[location], **fields)
    therapist.user.groups.add(Group.objects.get(name=roles.THERAPIST))
    return therapist


def client_for(role: str) -> Client:
    """A client signed in with the role (`anonymous`: signed out)."""
    client = Client()
    if role != "anonymous":
        client.force_login(staff_user(role))
    return client


def urgent_request(**changes: Any) -> AppointmentRequest:
    """A submitted intake with a red flag (locked knee) and a twisting injury: urgent, with
    a ranked top category and reasons."""
    answers = valid_answers(
        rf_locked=True,
        onset="injury",
        duration="1_to_6_weeks",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="later",
        rapid_bruising=False,
        pain_location=["inner"],
        mechanical=["locking_catching", "giving_way"],
        aggravators=["twisting", "squatting"],
        goal="Run the city half marathon in April.",
    )
    return submit_intake(
        answers=answers,
        patient=patient_details(first_name="Dana", last_name="Quill"),
        **changes,
    )


def routine_request(location: Location | None = None, **patient: Any) -> AppointmentRequest:
    return submit_intake(location=location or LocationFactory(), patient=patient_details(**patient))
