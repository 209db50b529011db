"""No status token or other secret reaches a log: Django's (through the console handler's
filter) or gunicorn's access log (issue 17, finding 9)."""

from __future__ import annotations

import io
import logging
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from clinic.log_redaction import RedactSecretsFilter, redact
from intake.models import AppointmentRequest
from intake.status_links import status_path
from tests.factories import LocationFactory
from tests.intake.conftest import fresh_rate_limit  # noqa: F401 (a fixture)
from tests.intake.site_client import check_values, fill_to_check, post_step

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler writes, at DEBUG, for the test's duration."""
    root = logging.getLogger()
    handler = next(
        h for h in root.handlers if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    old_stream, old_level = handler.setStream(stream), root.level
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.setLevel(old_level)
        handler.setStream(old_stream)


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_rate_limit")
def test_a_whole_intake_and_a_status_visit_log_no_token(client, log_output):
    location = LocationFactory()
    fill_to_check(client, location.pk)
    post_step(client, "check", check_values(client))
    request_ = AppointmentRequest.objects.get()
    path = status_path(request_)
    token = path.strip("/").split("/")[-1]
    assert client.get(path).status_code == 200
    client.get(path + "cancel/")
    client.get(path.replace(token[-6:], "XXXXXX"))  # an altered link: logged as not found
    client.get(reverse("intake:status", args=[token + "x"]) + "?token=" + token)
    logged = log_output.getvalue()
    assert logged, "the intake logged nothing at all: the capture is broken"
    assert token not in logged
    assert token[:20] not in logged
    assert str(request_.submission_token) not in logged


def test_redact_covers_signed_paths_and_query_secrets():
    line = "GET /status/AbC.xYz:1r2s/cancel/?code=123456&next=/admin/ HTTP/1.1"
    assert redact(line) == "GET /status/[redacted]/cancel/?code=[redacted]&next=/admin/ HTTP/1.1"
    assert "s3cret" not in redact("/admin/intake/redflagalert/acknowledge/s3cret/")
    assert redact("GET /admin/sign-in/enrol/s3cret/") == "GET /admin/sign-in/enrol/[redacted]/"
    assert (
        redact("GET /admin/password-reset/MQ/d1-s3cret/ 302")
        == "GET /admin/password-reset/MQ/[redacted]/ 302"
    )
    assert redact("/admin/password-reset/MQ/set-password/") == (
        "/admin/password-reset/MQ/set-password/"
    )
    assert redact("/admin/password-reset/sent/") == "/admin/password-reset/sent/"


def test_redact_covers_passwords_in_urls():
    line = "SMS_URL=twilio://AC123:tok3n-S3CRET@api.twilio.com?from=%2B1555 smtp://me:pw@mail:25"
    assert redact(line) == (
        "SMS_URL=twilio://AC123:[redacted]@api.twilio.com?from=%2B1555 smtp://me:[redacted]@mail:25"
    )
    assert redact("see http://127.0.0.1:8000/admin/ at 10:30") == (
        "see http://127.0.0.1:8000/admin/ at 10:30"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_shows_no_status_token():
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "clinic/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "tests.clinic.echo_wsgi:app",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    secret = "K7P3QX9M.1t2u3v:abcdefSECRET"
    try:
        for _ in range(100):
            try:
                url = f"http://127.0.0.1:{port}/status/{secret}/?token={secret}"
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "/status/[redacted]/?token=[redacted]" in output
    assert "SECRET" not in output
