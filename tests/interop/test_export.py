"""Bulk export ($export): kick-off, a Celery task writing NDJSON per type, polling for the
manifest, files only for the client that asked, _since, expiry."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.test import override_settings
from django.utils import timezone

from intake.models import AppointmentRequest, Intake, Patient
from interop.export.services import export_run, exports_housekeeping
from interop.models import ExportJob, ExportStatus
from tests.factories import LocationFactory, patient_details, submit_intake
from tests.interop.fhir import System, demo_clinic, system, validated

ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def kick_off(practice: System, query: str = "", level: str = "") -> Any:
    return practice.get(f"/fhir/R4/{level}$export{query}", **ASYNC)


def lines_of(practice: System, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    files = {}
    for entry in manifest["output"]:
        response = practice.get(path_of(entry["url"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        body = b"".join(response.streaming_content).decode()
        files[entry["type"]] = [json.loads(line) for line in body.splitlines()]
        assert len(files[entry["type"]]) == entry["count"]
    return files


@pytest.fixture
def private_storage(tmp_path: Path):  # type: ignore[no-untyped-def]
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "fhir_exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    with override_settings(STORAGES=storages):
        yield tmp_path / "exports"


def run_now(practice: System, query: str = "", level: str = "") -> dict[str, Any]:
    """Kick off, run the task in this process, and return the manifest."""
    response = kick_off(practice, query, level)
    assert response.status_code == 202, response.content
    job = ExportJob.objects.get(client=practice.client, status=ExportStatus.ACCEPTED)
    assert export_run(job_id=str(job.pk)) == ExportStatus.COMPLETED
    status = practice.get(path_of(response["Content-Location"]))
    assert status.status_code == 200
    manifest: dict[str, Any] = status.json()
    return manifest


@pytest.mark.integration
@pytest.mark.timeout(300)
def test_the_export_of_the_demo_data_is_complete_and_every_line_validates(
    celery_worker,  # type: ignore[no-untyped-def]
) -> None:
    demo_clinic()
    practice = system().sign_in()
    response = kick_off(practice)
    assert response.status_code == 202
    status_url = path_of(response["Content-Location"])
    deadline = time.monotonic() + 120
    while (status := practice.get(status_url)).status_code == 202:
        assert "X-Progress" in status
        assert time.monotonic() < deadline, "the export did not finish"
        time.sleep(0.5)
    assert status.status_code == 200
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True
    files = lines_of(practice, manifest)
    for lines in files.values():
        for line in lines:
            validated(line)
    responses = [line["id"] for line in files["QuestionnaireResponse"]]
    intakes = [f"intake-{pk}" for pk in Intake.objects.values_list("pk", flat=True)]
    assert sorted(responses) == sorted(intakes)  # every intake once
    assert len(files["RiskAssessment"]) == len(intakes)
    assert len(files["Patient"]) == Patient.objects.count()
    assert len(files["ServiceRequest"]) > AppointmentRequest.objects.count()  # and referrals
    # Every record exported is in the audit trail under the client's name.
    audited = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, content_type__model="intake", actor__isnull=True
    )
    assert audited.values("object_pk").distinct().count() == len(intakes)
    ExportJob.objects.update(expires_at=timezone.now())
    exports_housekeeping()
    assert practice.get(status_url).status_code == 404


@pytest.mark.django_db
def test_a_kick_off_needs_prefer_respond_async_and_ndjson() -> None:
    practice = system().sign_in()
    assert practice.get("/fhir/R4/$export").status_code == 400
    assert kick_off(practice, "?_outputFormat=text/csv").status_code == 400
    assert kick_off(practice, "?_since=yesterday").status_code == 400
    assert kick_off(practice, "?_type=Basic").status_code == 400
    assert kick_off(practice, "?_elements=id").status_code == 400


@pytest.mark.django_db
def test_a_type_outside_the_tokens_scopes_is_refused(private_storage: Path) -> None:
    practice = system(scope="system/Patient.read").sign_in()
    assert kick_off(practice, "?_type=Flag").status_code == 403
    manifest = run_now(practice)
    assert [entry["type"] for entry in manifest["output"]] == ["Patient"]


@pytest.mark.django_db
def test_since_exports_only_what_changed_after_it(private_storage: Path) -> None:
    location = LocationFactory()
    old = submit_intake(location=location)
    Patient.objects.filter(pk=old.patient_id).update(updated_at=timezone.now() - timedelta(days=2))
    Intake.objects.filter(pk=old.intake_id).update(submitted_at=timezone.now() - timedelta(days=2))
    new = submit_intake(location=location, patient=patient_details(last_name="Newer"))
    practice = system().sign_in()
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = run_now(practice, f"?_type=Patient,QuestionnaireResponse,Location&_since={since}")
    files = lines_of(practice, manifest)
    assert [line["id"] for line in files["Patient"]] == [f"patient-{new.patient_id}"]
    assert [line["id"] for line in files["QuestionnaireResponse"]] == [f"intake-{new.intake_id}"]
    # Sites keep no time of change, so every export holds them.
    assert len(files["Location"]) == 1


@pytest.mark.django_db
def test_the_patient_level_export_holds_only_patients_records(private_storage: Path) -> None:
    submit_intake()
    practice = system().sign_in()
    manifest = run_now(practice, level="Patient/")
    types = {entry["type"] for entry in manifest["output"]}
    assert "Patient" in types
    assert not types & {"Location", "Organization", "Practitioner", "Questionnaire"}


@pytest.mark.django_db
def test_only_the_client_that_asked_sees_its_export(private_storage: Path) -> None:
    submit_intake()
    practice = system().sign_in()
    manifest = run_now(practice, "?_type=Patient")
    [entry] = manifest["output"]
    other = system(name="Another system").sign_in()
    job = ExportJob.objects.get(client=practice.client)
    assert other.get(f"/fhir/R4/$export-status/{job.pk}").status_code == 404
    assert other.get(path_of(entry["url"])).status_code == 404
    practice.token = ""
    assert practice.get(path_of(entry["url"])).status_code == 401


@pytest.mark.django_db
def test_one_export_at_a_time_and_delete_cancels(private_storage: Path) -> None:
    practice = system().sign_in()
    first = kick_off(practice)
    assert first.status_code == 202
    assert kick_off(practice).status_code == 429
    status_url = path_of(first["Content-Location"])
    assert practice.get(status_url).status_code == 202
    cancelled = practice.http.delete(status_url, HTTP_AUTHORIZATION=f"Bearer {practice.token}")
    assert cancelled.status_code == 202
    assert practice.get(status_url).status_code == 404
    assert kick_off(practice).status_code == 202


@pytest.mark.django_db
def test_expired_files_are_deleted(private_storage: Path) -> None:
    submit_intake()
    practice = system().sign_in()
    manifest = run_now(practice, "?_type=Patient")
    job = ExportJob.objects.get(client=practice.client)
    assert (private_storage / str(job.pk) / "Patient.ndjson").exists()
    assert exports_housekeeping() == 0  # not yet
    later = timezone.now() + timedelta(hours=25)
    assert exports_housekeeping(now=later) == 1
    assert not (private_storage / str(job.pk)).exists()
    assert practice.get(path_of(manifest["output"][0]["url"])).status_code == 404
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
