"""The embedded default (SQLite) has no exclusion constraints: there, every transaction takes
the write lock when it begins (BEGIN IMMEDIATE, clinic/settings.py), so a booking's check and
insert are never interleaved with another's. Ten threads at one slot: one appointment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_transactions_take_the_write_lock_at_once() -> None:
    # What `make run` gets: the settings read with no DATABASE_URL.
    code = (
        "import os; os.environ.pop('DATABASE_URL', None);"
        "os.environ['DJANGO_SETTINGS_MODULE']='clinic.settings';"
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['OPTIONS']['transaction_mode'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "IMMEDIATE"


def test_ten_concurrent_bookings_on_sqlite_make_one_appointment(tmp_path: Path) -> None:
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.scheduling.sqlite_race"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.split()
    assert lines.count("booked") == 1
    assert lines.count("taken") == 9
    assert result.stdout.strip().endswith("appointments 1")
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")  # the suite's own
