"""`manage.py prescreen_replay`: what a candidate ruleset would change over stored intakes."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conditions.rulesets import KNEE_V1, KNEE_V2, RULESETS
from intake.demo import demo_intakes_ensure, demo_staff_ensure
from intake.models import AppointmentRequest, Intake
from intake.selectors.replay import prescreen_replay
from intake.services.reviews import review_record
from tests.factories import (
    dislocation_answers,
    runners_knee_answers,
    screened_with,
    submit_intake,
    valid_answers,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

DISLOCATION = dislocation_answers()
LOCKED = valid_answers(rf_locked=True, pain_location=["inner"], mechanical=["locking_catching"])
RUNNERS_KNEE = runners_knee_answers()


def replay(*args: str) -> str:
    out = StringIO()
    call_command("prescreen_replay", *args, stdout=out)
    return out.getvalue()


def screened_with_knee_v1(answers: dict[str, Any]) -> AppointmentRequest:
    """An intake stored before knee-v2 was released."""
    return screened_with(KNEE_V1, submit_intake(answers=answers))


@pytest.fixture
def stored() -> dict[str, AppointmentRequest]:
    return {
        "dislocation": screened_with_knee_v1(DISLOCATION),
        "locked": screened_with_knee_v1(LOCKED),
        "runners_knee": screened_with_knee_v1(RUNNERS_KNEE),
    }


def test_replaying_knee_v2_over_knee_v1_intakes_lowers_no_triage(
    stored: dict[str, AppointmentRequest],
) -> None:
    output = replay("--ruleset", "knee-v2")
    assert "Replay of knee-v2 over 3 stored intakes, against each intake's stored result." in output
    assert "Stored with: knee-v1 3." in output
    assert "Triage: 0 lowered, 0 raised, 3 unchanged." in output
    assert "Top category: 1 of 3 would change." in output
    assert "  tendon_ligament -> anatomical: 1" in output


def test_agreement_with_the_therapists_reviews_under_the_old_and_the_new_ruleset(
    stored: dict[str, AppointmentRequest],
) -> None:
    therapist = get_user_model().objects.create(username="therapist-replay", is_staff=True)
    # The therapist read the dislocation as instability, and agreed with runner's knee.
    review_record(
        intake=stored["dislocation"].intake,
        reviewer=therapist,
        agrees=False,
        category="anatomical",
        note="The kneecap came out: this is instability, not the ACL.",
    )
    review_record(intake=stored["runners_knee"].intake, reviewer=therapist, agrees=True)
    report = prescreen_replay(candidate=KNEE_V2)
    assert (report.reviews, report.agreed_baseline, report.agreed_candidate) == (2, 1, 2)
    output = replay("--ruleset", "knee-v2")
    assert "Agreement with the therapists' reviews (2 reviews):" in output
    assert "  stored: 1 of 2 (50.0%)" in output
    assert "  knee-v2: 2 of 2 (100.0%)" in output


def test_a_candidate_that_lowers_a_triage_exits_1_and_lists_the_intakes(
    stored: dict[str, AppointmentRequest], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A test-only candidate that forgot the locked knee: it must never be released.
    forgetful = dataclasses.replace(
        KNEE_V2,
        version="test-forgets-locked",
        asked_red_flags=tuple(f for f in KNEE_V2.asked_red_flags if f.code != "rf_locked"),
    )
    monkeypatch.setitem(RULESETS, forgetful.version, forgetful)
    out = StringIO()
    with pytest.raises(CommandError, match="1 intake") as raised:
        call_command("prescreen_replay", "--ruleset", forgetful.version, stdout=out)
    assert raised.value.returncode == 1
    reference = stored["locked"].reference
    intake_id = stored["locked"].intake_id
    assert f"  LOWERED {reference} (intake {intake_id}): urgent -> routine" in out.getvalue()
    assert "Triage: 1 lowered, 0 raised, 2 unchanged." in out.getvalue()
    assert "  urgent -> routine: 1" in out.getvalue()


def test_a_baseline_ruleset_is_run_over_the_same_answers() -> None:
    # Screened with knee-v2 when submitted; knee-v1 is replayed over the same answers.
    submit_intake(answers=DISLOCATION)
    output = replay("--ruleset", "knee-v2", "--baseline", "knee-v1")
    assert "against knee-v1." in output
    assert "Stored with: knee-v2 1." in output
    assert "  tendon_ligament -> anatomical: 1" in output


def test_since_replays_only_intakes_submitted_from_that_day(
    stored: dict[str, AppointmentRequest],
) -> None:
    Intake.objects.exclude(pk=stored["dislocation"].intake_id).update(
        submitted_at=timezone.now() - timedelta(days=30)
    )
    since = timezone.localdate() - timedelta(days=1)
    output = replay("--ruleset", "knee-v2", "--since", since.isoformat())
    assert f"over 1 stored intakes submitted since {since.isoformat()}" in output


def test_intakes_of_another_questionnaire_version_are_counted_not_replayed(
    stored: dict[str, AppointmentRequest],
) -> None:
    Intake.objects.filter(pk=stored["locked"].intake_id).update(questionnaire_version="knee-v0")
    output = replay("--ruleset", "knee-v2")
    assert "over 2 stored intakes" in output
    assert "Not replayed (another questionnaire version): knee-v0 1." in output


def test_the_replay_reads_the_intakes_in_chunks_and_only_the_columns_it_needs(
    stored: dict[str, AppointmentRequest],
) -> None:
    with CaptureQueriesContext(connection) as queries:
        report = prescreen_replay(candidate=KNEE_V2, chunk_size=2)
    assert report.screened == 3
    intake_reads = [q["sql"] for q in queries if 'FROM "intake_intake"' in q["sql"]]
    assert intake_reads
    assert all('"intake_intake"."prescreen"' not in sql for sql in intake_reads)
    assert len(queries) < 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ruleset", "knee-v9"], "no ruleset 'knee-v9' (known: knee-v1, knee-v2)"),
        (["--ruleset", "knee-v2", "--baseline", "v0"], "no ruleset 'v0'"),
        (["--ruleset", "knee-v2", "--since", "last week"], "is not a date"),
    ],
    ids=["unknown-ruleset", "unknown-baseline", "bad-date"],
)
def test_bad_arguments_exit_2_with_a_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)) as raised:
        replay(*args)
    assert raised.value.returncode == 2


def test_the_real_command_exits_2_without_a_ruleset() -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", "prescreen_replay"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "--ruleset" in completed.stderr


@pytest.mark.timeout(240)
def test_on_the_demo_data_knee_v2_lowers_no_triage_of_knee_v1() -> None:
    # What CI runs on the demo data (`make replay-demo` does the same on a local database).
    demo_staff_ensure(password="demo-password-for-tests")
    demo_intakes_ensure(count=40, seed=15)
    output = replay("--ruleset", "knee-v2", "--baseline", "knee-v1")
    assert "over 40 stored intakes" in output
    assert "Triage: 0 lowered," in output
