"""Docker cannot run here, so check that the compose file and .env.example agree
with the variables the settings actually read."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

SETTINGS_READS = set(
    re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', (ROOT / "clinic" / "settings.py").read_text())
)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {name: svc for name, svc in COMPOSE["services"].items() if "build" in svc}


def documented_variables() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def test_settings_read_the_variables_we_expect() -> None:
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "EMAIL_URL"} <= SETTINGS_READS


def test_env_example_documents_exactly_what_the_settings_read() -> None:
    assert documented_variables() == SETTINGS_READS


def test_every_application_service_runs_our_image() -> None:
    assert set(APP_SERVICES) == {"migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "beat"])
def test_compose_environment_names_only_variables_the_settings_read(service: str) -> None:
    environment = set(APP_SERVICES[service]["environment"])
    assert environment - SETTINGS_READS == set()


def test_compose_redis_keeps_queued_work() -> None:
    command = COMPOSE["services"]["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_every_long_running_service_has_a_health_check() -> None:
    services = COMPOSE["services"]
    assert [
        name for name, svc in services.items() if name != "migrate" and "healthcheck" not in svc
    ] == []
