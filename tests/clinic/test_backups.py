"""Backups: scripts/backup-database (what compose's nightly `backup` service runs) dumps the
suite's PostgreSQL with demo data; scripts/restore-backup restores it into a fresh
database, where every intake, request, review, notification and audit entry is found."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.db.models import Model

from intake.models import AppointmentRequest, Intake, Review
from notifications.models import Notification
from tests.conftest import ROOT, worker_environment
from tests.services import find_binary

pytestmark = pytest.mark.timeout(300)

MODELS: list[type[Model]] = [Intake, AppointmentRequest, Review, Notification, LogEntry]


def rows(url: str, model: type[Model]) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as db:
        table = model._meta.db_table
        return db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608


def test_a_backup_restored_into_a_fresh_database_holds_every_record(
    transactional_db: None, tmp_path: Path
) -> None:
    call_command("seed_demo", intakes=12, seed=1, verbosity=0)
    url = worker_environment()["DATABASE_URL"]
    assert all(model._default_manager.exists() for model in MODELS)
    path = f"{Path(find_binary('pg_dump')).parent}:{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "DATABASE_URL": url, "BACKUP_DIR": str(tmp_path)}

    backup = subprocess.run(
        [ROOT / "scripts/backup-database"], env=env, capture_output=True, text=True, timeout=120
    )
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("clinic-*.dump")

    fresh = url.rpartition("/")[0] + "/restored"
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS restored")
        cursor.execute("CREATE DATABASE restored")
    restore = subprocess.run(
        [ROOT / "scripts/restore-backup", str(dump), fresh],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert restore.returncode == 0, restore.stderr

    for model in MODELS:
        original = rows(url, model)
        assert original, model.__name__
        assert rows(fresh, model) == original, model.__name__
