"""A database made by the release before the notifications app upgrades with every row, and a
message still waiting then is delivered as it would have been."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.delivery import render_email
from notifications.models import Notification
from staff import roles

# Where main stood before the notifications and staff apps.
PREVIOUS_RELEASE = [
    ("intake", "0003_patient_name_indexes"),
    ("notifications", None),
    ("staff", None),
]


@pytest.fixture
def previous_release(transactional_db: None) -> Iterator[object]:
    """The schema of the previous release (its migration state's models); afterwards the
    database is migrated to today's again for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS_RELEASE)
    yield executor.loader.project_state(PREVIOUS_RELEASE[0]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def upgrade() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_waiting_messages_survive_the_upgrade_and_render_as_before(previous_release) -> None:  # type: ignore[no-untyped-def]
    old = previous_release
    location = old.get_model("intake", "Location").objects.create(
        name="Riverside", address="120 River Road", phone="(555) 010-0101"
    )
    patient = old.get_model("intake", "Patient").objects.create(
        first_name="Dana",
        last_name="Quill",
        date_of_birth="1990-05-17",
        email="dana@example.com",
        phone="555 0100",
        preferred_contact="email",
    )
    intake = old.get_model("intake", "Intake").objects.create(
        patient=patient,
        questionnaire_version="knee-v1",
        answers={},
        age_at_submission=36,
        prescreen={},
        ruleset_version="knee-v1",
        triage="urgent",
        needs_review=True,
    )
    user = old.get_model("auth", "User").objects.create(username="theo", first_name="Theo")
    therapist = old.get_model("intake", "Therapist").objects.create(user=user)
    request = old.get_model("intake", "AppointmentRequest").objects.create(
        intake=intake,
        patient=patient,
        reference="K7P3-QX9M",
        submission_token="6f0a4c52-5e1e-4d2e-9b3c-2a9f0c1d7e11",
        location=location,
        referral_source="self",
        payment="self_pay",
        consent_version="privacy-2026-11",
        consented_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    OldNotification = old.get_model("intake", "Notification")
    ack = OldNotification.objects.create(
        request=request, kind="patient_ack", recipient="dana@example.com"
    )
    booked = OldNotification.objects.create(
        request=request,
        kind="patient_scheduled",
        recipient="dana@example.com",
        dedupe_key=f"2026-12-01T15:30:00+00:00|{therapist.pk}",
    )
    alert = OldNotification.objects.create(
        request=request, kind="urgent_alert", recipient="theo@clinic.example", recipient_user=user
    )
    sent = OldNotification.objects.create(
        request=request, kind="new_request_staff", recipient="desk@clinic.example", status="sent"
    )

    upgrade()

    rows = {n.pk: n for n in Notification.objects.all()}
    assert set(rows) == {ack.pk, booked.pk, alert.pk, sent.pk}
    assert {n.topic for n in rows.values()} == {"K7P3-QX9M"}
    ack_email = render_email(rows[ack.pk])
    assert ack_email.subject == "We received your request (K7P3-QX9M)"
    assert "Hello Dana" in ack_email.text
    token = ack_email.text.split("/status/")[1].split("/")[0]
    assert signing.loads(token, salt="intake.status-link") == "K7P3-QX9M"
    booked_email = render_email(rows[booked.pk])
    assert "Tuesday, December 1, 2026 at 9:30 AM (CST)" in booked_email.text
    assert "Theo" in booked_email.text
    alert_email = render_email(rows[alert.pk])
    assert alert_email.subject.startswith("URGENT")
    assert f"/admin/intake/intake/{intake.pk}/change/" in alert_email.text
    assert rows[sent.pk].subject == "New appointment request K7P3-QX9M"


def test_the_notification_log_permissions_move_with_the_model(previous_release) -> None:  # type: ignore[no-untyped-def]
    upgrade()

    assert not ContentType.objects.filter(app_label="intake", model="notification").exists()
    managers = Group.objects.get(name=roles.CLINIC_MANAGER)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in managers.permissions.all()}
    assert {"notifications.view_notification", "notifications.change_notification"} <= granted
