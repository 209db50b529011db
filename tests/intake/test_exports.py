"""CSV exports of a period's requests and referrals: what each role may download, what the
file holds, and that each download is in the audit trail."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest
from intake.services.referrals import referral_create
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import patient_details, submit_intake, valid_answers
from tests.intake.staff import client_for, staff_user

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:intake_appointmentrequest_export")
REFERRALS = reverse("admin:intake_referral_export")
NOON = timezone.make_aware(datetime(2026, 11, 10, 12, 0))
NOTE = "My left knee clicks on the stairs since the marathon"


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def test_front_desk_downloads_the_periods_requests_and_nothing_clinical() -> None:
    before = submit_intake(now=NOON - timedelta(days=3))
    inside = submit_intake(now=NOON, notes=NOTE, answers=valid_answers(rf_locked=True))
    after = submit_intake(now=NOON + timedelta(days=2))

    response = client_for(FRONT_DESK).get(REQUESTS, {"start": "2026-11-09", "end": "2026-11-11"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "appointment-requests-2026-11-09-to-2026-11-11.csv" in response["Content-Disposition"]
    [row] = rows(response)
    assert row["Reference"] == inside.reference
    assert (row["First name"], row["Last name"], row["Site"]) == (
        "Alex",
        "Runner",
        inside.location.name,
    )
    assert row["Received"] == "2026-11-10 12:00"
    assert {before.reference, after.reference}.isdisjoint(response.content.decode())
    text = response.content.decode().lower()
    assert NOTE.lower() not in text
    assert not {"urgent", "triage", "category", "red flag"} & set(text.split(","))


def test_a_cell_a_spreadsheet_would_run_is_exported_as_text() -> None:
    submit_intake(now=NOON, patient=patient_details(last_name='=HYPERLINK("http://x.example")'))

    [row] = rows(client_for(FRONT_DESK).get(REQUESTS, {"start": "2026-11-10", "end": "2026-11-10"}))

    assert row["Last name"] == '\'=HYPERLINK("http://x.example")'


def test_each_download_is_recorded_with_the_records_it_held() -> None:
    request = submit_intake(now=NOON)
    front_desk = staff_user(FRONT_DESK)
    client = Client()
    client.force_login(front_desk)

    client.get(REQUESTS, {"start": "2026-11-10", "end": "2026-11-10"})

    [entry] = LogEntry.objects.filter(object_pk="", action=LogEntry.Action.ACCESS)
    assert entry.actor == front_desk
    assert entry.object_repr == "CSV export of appointment requests"
    assert entry.additional_data["list"]["shown"] == [str(request.pk)]
    assert entry.additional_data["list"]["parameters"] == {
        "start": "2026-11-10",
        "end": "2026-11-10",
    }


def test_referrals_are_exported_for_clinical_staff_only() -> None:
    request: AppointmentRequest = submit_intake(now=NOON)
    referral_create(
        intake=request.intake,
        destination="imaging",
        reason="Locked knee after a twist",
        created_by=staff_user(THERAPIST, first_name="Theo", last_name="Lind"),
    )
    period = {"start": timezone.localdate().isoformat(), "end": timezone.localdate().isoformat()}

    assert client_for(FRONT_DESK).get(REFERRALS, period).status_code == 403
    for role in (THERAPIST, CLINIC_MANAGER):
        [row] = rows(client_for(role).get(REFERRALS, period))
        assert (row["Intake"], row["Author"], row["Destination"], row["Status"]) == (
            request.reference,
            "Theo Lind",
            "Imaging",
            "Draft",
        )
        assert "Locked knee" not in ",".join(row.values())


def test_the_export_page_offers_the_last_month_and_explains_a_bad_period() -> None:
    client = client_for(FRONT_DESK)

    page = client.get(REQUESTS)
    refused = client.get(REQUESTS, {"start": "2026-11-10", "end": "2026-11-01"})
    too_long = client.get(REQUESTS, {"start": "2024-01-01", "end": "2026-11-01"})

    assert page.status_code == 200
    assert page.context["form"]["end"].value() == timezone.localdate()
    assert "The period ends before it starts." in refused.content.decode()
    assert "Export at most a year at a time." in too_long.content.decode()
    assert LogEntry.objects.filter(object_repr__startswith="CSV export").count() == 0


def test_the_board_and_the_referral_list_link_to_their_export() -> None:
    board = client_for(FRONT_DESK).get(reverse("admin:intake_appointmentrequest_changelist"))
    referrals = client_for(THERAPIST).get(reverse("admin:intake_referral_changelist"))

    assert f'href="{REQUESTS}"' in board.content.decode()
    assert f'href="{REFERRALS}"' in referrals.content.decode()
