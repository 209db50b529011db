"""A database made before red-flag alerts upgrades: an urgent intake still waiting then gets
an alert whose chain goes on (its first alert went out under the old rule), and the clinical
roles may act on alerts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from intake.models import RedFlagAlert
from intake.services.alerts import alerts_escalate
from notifications.models import Notification
from staff import roles

BEFORE_ALERTS = [("intake", "0004_notification_moves_to_its_own_app"), ("staff", None)]


@pytest.fixture
def before_alerts(transactional_db: None) -> Iterator[Any]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_ALERTS)
    yield executor.loader.project_state(BEFORE_ALERTS[0]).apps
    upgrade()


def upgrade() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_request(apps: Any, n: int, *, triage: str, status: str = "new", reviewed: bool = False):  # type: ignore[no-untyped-def]
    location, _ = apps.get_model("intake", "Location").objects.get_or_create(
        name="Riverside", defaults={"address": "120 River Road", "phone": "(555) 010-0101"}
    )
    patient = apps.get_model("intake", "Patient").objects.create(
        first_name="Dana",
        last_name=f"Quill{n}",
        date_of_birth="1990-05-17",
        email="dana@example.com",
        phone="555 0100",
        preferred_contact="email",
    )
    submitted = timezone.now() - timedelta(minutes=30)
    intake = apps.get_model("intake", "Intake").objects.create(
        patient=patient,
        questionnaire_version="knee-v1",
        answers={},
        age_at_submission=36,
        prescreen={},
        ruleset_version="knee-v1",
        triage=triage,
        needs_review=True,
        submitted_at=submitted,
        reviewed_at=submitted if reviewed else None,
    )
    return apps.get_model("intake", "AppointmentRequest").objects.create(
        intake=intake,
        patient=patient,
        reference=f"K7P3-QX9{n}",
        submission_token=f"6f0a4c52-5e1e-4d2e-9b3c-2a9f0c1d7e1{n}",
        location=location,
        referral_source="self",
        payment="self_pay",
        status=status,
        consent_version="privacy-2026-11",
        consented_at=datetime(2026, 11, 30, tzinfo=UTC),
    )


def test_a_waiting_urgent_intake_gets_an_alert_that_escalates_on(before_alerts: Any) -> None:
    waiting = old_request(before_alerts, 2, triage="emergency")
    old_request(before_alerts, 3, triage="urgent", reviewed=True)
    old_request(before_alerts, 4, triage="urgent", status="cancelled")
    old_request(before_alerts, 5, triage="routine")

    upgrade()

    (alert,) = RedFlagAlert.objects.all()
    assert (alert.intake_id, alert.level, alert.steps_sent) == (waiting.intake_id, "emergency", 1)
    alerts_escalate()  # 30 minutes on: steps 2 and 3 are both due
    keys = set(Notification.objects.filter(topic=waiting.reference).values_list("dedupe_key"))
    assert keys == {("step-1",), ("step-2",)}


def test_therapists_may_act_on_alerts_after_the_upgrade(before_alerts: Any) -> None:
    upgrade()

    therapist = Group.objects.get(name=roles.THERAPIST)
    codenames = set(therapist.permissions.values_list("codename", flat=True))
    assert {"view_redflagalert", "change_redflagalert"} <= codenames
    desk = Group.objects.get(name=roles.FRONT_DESK)
    assert not desk.permissions.filter(codename__contains="redflagalert").exists()
