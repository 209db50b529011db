from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.env import Env
from tests.conftest import ROOT

PRODUCTION = {
    "CLINIC_ENV": "production",
    "SECRET_KEY": "x7!kP2v9#QmZ4rT8wLb6Nc1Hd5Fj3Gs0Ya-Ue_Io+Xp=Rk@Vn^Mq&Bz*Ct(Dw)Ef",
    "ALLOWED_HOSTS": "clinic.example",
    "DATABASE_URL": "postgres://clinic:secret@db.internal:5432/clinic",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
    "CLINIC_ALERT_EMAIL": "alerts@clinic.example",
}


def start(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with exactly these variables set."""
    # Only the suite's own service URLs carry over, never a test-only switch.
    dropped = {*PRODUCTION, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://db/clinic"),
        ("DATABASE_URL", "postgres://db:notaport/clinic"),
        ("REDIS_URL", "redis://:6379/0"),
        ("TIME_ZONE", "America/Nowhere"),
        ("EMAIL_URL", "smtp://mail:25x"),
        ("CLINIC_ENV", "staging"),
        ("CLINIC_ALERT_EMAIL", "alerts at the clinic"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(variable: str, value: str) -> None:
    result = start({variable: value}, "check")
    assert result.returncode != 0
    assert f"Environment variable {variable}:" in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    environ = {**PRODUCTION}
    del environ["SECRET_KEY"]
    result = start(environ, "check")
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY: is required" in result.stderr


def test_production_without_an_alert_address_fails_the_system_check() -> None:
    environ = {**PRODUCTION}
    del environ["CLINIC_ALERT_EMAIL"]
    result = start(environ, "check")
    assert result.returncode != 0
    assert "(intake.E001) CLINIC_ALERT_EMAIL is not set." in result.stderr


def test_production_settings_pass_the_deployment_checklist() -> None:
    result = start(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked() -> None:
    result = start({}, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_boolean_accepts_the_usual_spellings() -> None:
    env = Env({"A": "Yes", "B": "off", "C": " 1 "})
    assert (env.boolean("A", False), env.boolean("B", True), env.boolean("C", False)) == (
        True,
        False,
        True,
    )


def test_integer_out_of_range_is_an_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="CELERY_VISIBILITY_TIMEOUT"):
        Env({"CELERY_VISIBILITY_TIMEOUT": "5"}).integer(
            "CELERY_VISIBILITY_TIMEOUT", 600, minimum=30
        )


def test_email_url_becomes_smtp_settings() -> None:
    url = "smtp+tls://user:p%40ss@smtp.example:2525"
    options = Env({"EMAIL_URL": url}).mailer("EMAIL_URL", "")["OPTIONS"]
    assert options["host"] == "smtp.example"
    assert options["port"] == 2525
    assert options["password"] == "p@ss"
    assert options["use_tls"] is True


def test_development_keeps_its_generated_secret_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    environ = {"VAR_DIR": str(tmp_path)}
    show = ("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    first, second = start(environ, *show), start(environ, *show)
    assert first.stdout.splitlines()[-1] == second.stdout.splitlines()[-1] != ""
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
