"""Throwaway PostgreSQL and Redis servers, and a local SMS gateway, for the test session.

Loaded as a plugin (``-p tests.services`` in pyproject's addopts) so the servers are
running, and ``DATABASE_URL`` / ``REDIS_URL`` point at them, before pytest-django
reads the settings. Each run gets its own temporary data folders and free ports; no
server started by hand is ever used, and the suite never falls back to SQLite.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SERVICES = pytest.StashKey["Services"]()

INSTALL_HINT = (
    "install the Debian packages postgresql and redis-server "
    "(as root: `apt-get install postgresql redis-server`, which `make test` does for you)"
)


class ServiceError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise ServiceError(f"nothing answered on port {port} after {timeout:.0f} s")


def find_binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise ServiceError(f"`{name}` was not found: {INSTALL_HINT}")
    return found


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, tuned for speed, not durability."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/clinic"

    def _run(self, *command: str) -> None:
        # initdb and postgres refuse to run as root; CI runs as root, so drop to `postgres`.
        prefix: list[str] = []
        if os.geteuid() == 0:
            user = "postgres" if _user_exists("postgres") else "nobody"
            shutil.chown(self.root, user)
            prefix = ["runuser", "-u", user, "--"]
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=120
        )
        if result.returncode != 0:
            raise ServiceError(f"{command[0]} failed: {result.stderr.strip() or result.stdout}")

    def start(self) -> None:
        self._run(
            find_binary("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        self.start_again()

    def start_again(self) -> None:
        """Start the cluster (again, after ``stop_fast``) on the same port and data."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            find_binary("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            "start",
        )

    def stop_fast(self) -> None:
        """Stop as an operator's restart does: clients are disconnected, data kept."""
        self._run(find_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(find_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")


class RedisServer:
    """A Redis server on a fixed free port; can be stopped and started again on it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                find_binary("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Services:
    def __init__(self) -> None:
        from tests.sms_gateway import SmsGateway

        self.root = Path(tempfile.mkdtemp(prefix="clinic-tests-"))
        self.postgres = PostgresServer(self.root)
        self.redis = RedisServer(self.root)
        # Every text of the session goes here (SMS_URL): none leaves the machine.
        self.sms = SmsGateway()

    def start(self) -> None:
        self.postgres.start()
        self.redis.start()
        self.sms.start()

    def stop(self) -> None:
        self.sms.stop()
        self.redis.stop()
        self.postgres.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args):  # type: ignore[no-untyped-def]
    services = Services()
    try:
        services.start()
    except ServiceError as error:
        services.stop()
        raise pytest.UsageError(f"Cannot start the test services: {error}") from None
    early_config.stash[SERVICES] = services
    early_config.add_cleanup(services.stop)
    # A clean, known environment: the developer's own .env or var/ must not leak in.
    os.environ.update(
        {
            "DATABASE_URL": services.postgres.url,
            "REDIS_URL": services.redis.url,
            "CLINIC_ENV": "development",
            "DEBUG": "false",
            "VAR_DIR": str(services.root / "var"),
            "SMS_URL": services.sms.url,
        }
    )
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL", "SECRET_KEY"):
        os.environ.pop(name, None)
    return (yield)
