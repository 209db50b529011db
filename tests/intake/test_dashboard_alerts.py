"""The dashboard's alert figures: unacknowledged alerts now, and how long alerts waited for
someone to acknowledge them (median and 90th percentile over the last 30 days)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import RedFlagAlert
from intake.selectors.alerts import acknowledgement_times
from intake.services.alerts import alert_acknowledge
from staff.roles import FRONT_DESK, THERAPIST
from tests.factories import submit_intake, valid_answers
from tests.intake.staff import client_for, staff_user

pytestmark = pytest.mark.django_db


def acknowledged_after(minutes: float, *, days_ago: float = 1) -> RedFlagAlert:
    raised = timezone.now() - timedelta(days=days_ago)
    request = submit_intake(answers=valid_answers(rf_locked=True), now=raised)
    alert = request.intake.alert
    alert_acknowledge(
        alert=alert, user=staff_user(THERAPIST), now=raised + timedelta(minutes=minutes)
    )
    return alert


def test_time_to_acknowledge_is_the_median_and_90th_percentile_of_the_last_30_days() -> None:
    for minutes in (2, 4, 6, 8, 10, 12, 14, 16, 18, 100):
        acknowledged_after(minutes)
    acknowledged_after(500, days_ago=31)  # outside the window
    submit_intake(answers=valid_answers(rf_locked=True))  # not acknowledged: not a time yet

    times = acknowledgement_times()

    assert times.count == 10
    assert times.median_minutes == 11.0
    assert times.p90_minutes == 26.2  # between 18 and 100, nine tenths of the way
    assert acknowledgement_times(now=timezone.now() - timedelta(days=40)).count == 0


def test_the_dashboard_shows_unacknowledged_alerts_and_the_time_to_acknowledge() -> None:
    acknowledged_after(3)
    acknowledged_after(7)
    submit_intake(answers=valid_answers(rf_calf_swelling=True))

    html = client_for(THERAPIST).get(reverse("admin:index")).content.decode()

    unacknowledged = re.search(
        r'tile-figure">(\d+)</span>\s*<span class="tile-label">red-flag', html
    )
    assert unacknowledged is not None
    assert unacknowledged.group(1) == "1"
    assert "5.0 min" in html
    assert "90th percentile 6.6 min (last 30 days, 2 acknowledged)" in html
    assert reverse("admin:intake_redflagalert_changelist") + "?state=raised" in html


def test_the_front_desk_dashboard_has_no_alert_figures() -> None:
    submit_intake(answers=valid_answers(rf_calf_swelling=True))

    html = client_for(FRONT_DESK).get(reverse("admin:index")).content.decode()

    assert "acknowledge" not in html
    assert "red-flag" not in html


def test_without_any_acknowledgement_the_time_is_a_dash(client: Client) -> None:
    html = client_for(THERAPIST).get(reverse("admin:index")).content.decode()

    assert "median time to acknowledge an alert (last 30 days, 0 acknowledged)" in html
