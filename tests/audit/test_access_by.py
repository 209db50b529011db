"""Reads by someone who is not a staff user (a system, a patient) in the trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session

from audit.access import entry_actor, record_access_by
from tests.factories import submit_intake

pytestmark = pytest.mark.django_db


def test_one_entry_per_record_naming_the_reader_and_how() -> None:
    appointment_request = submit_intake()
    intake = appointment_request.intake
    written = record_access_by(
        actor="FHIR client “Acme”",
        instances=[intake, appointment_request, intake],
        remote_addr="192.0.2.7",
        note="FHIR search",
    )
    assert written == 2
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == 2
    entry = entries.get(content_type__model="intake")
    assert entry.actor is None
    assert entry.remote_addr == "192.0.2.7"
    assert entry_actor(entry) == "FHIR client “Acme” (FHIR search)"
    # Named by kind and number: an intake's str() tells its triage.
    assert entry.object_repr == f"Intake {intake.pk}"


def test_records_of_models_the_trail_does_not_keep_are_skipped() -> None:
    session = Session(session_key="x" * 32, session_data="", expire_date="2030-01-01T00:00Z")
    session.save()
    assert record_access_by(actor="somebody", instances=[session]) == 0


def test_the_trail_page_shows_the_reader(signed_in, manager) -> None:  # type: ignore[no-untyped-def]
    appointment_request = submit_intake()
    record_access_by(actor="The patient", instances=[appointment_request.patient])
    page = signed_in(manager).get("/admin/auditlog/logentry/").content.decode()
    assert "The patient" in page
