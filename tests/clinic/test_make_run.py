"""`make run`'s start-up path on a fresh folder, as a newcomer meets it: the embedded
defaults (SQLite, the file-system broker, e-mail to files), the banner once the web server
answers, its accounts signing in, and Ctrl-C ending with no error line."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.services import free_port

pytestmark = pytest.mark.integration

BANNER_END = "Ctrl-C stops everything"


class Demo:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, base: str) -> None:
        self.process, self.log, self.base = process, log, base

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_banner(self, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while BANNER_END not in self.output():
            assert self.process.poll() is None, f"make run's script ended:\n{self.output()}"
            assert time.monotonic() < deadline, f"no banner after {timeout} s:\n{self.output()}"
            time.sleep(0.5)
        return self.output()

    def press_ctrl_c(self) -> int:
        # A terminal's Ctrl-C sends SIGINT to its whole foreground process group.
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=60)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port = free_port()
    # Only what a newcomer's shell has: none of the suite's PostgreSQL, Redis or SMTP.
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "VAR_DIR": str(tmp_path / "var"),
        "DEMO_PORT": str(port),
    }
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield Demo(process, log, f"http://127.0.0.1:{port}")
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def signed_in(base: str, username: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Sign in through the staff sign-in page; returns the session and the page landed on."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the sign-in page has no CSRF token"
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    form["next"] = "/admin/"
    answer = opener.open(
        urllib.request.Request(
            f"{base}/admin/login/",
            urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{base}/admin/login/"},
        )
    )
    return opener, answer.geturl()


def test_make_run_prints_a_banner_whose_accounts_sign_in_and_stops_cleanly(demo: Demo) -> None:
    banner = demo.wait_for_banner()
    password = re.search(r"Password for all of them: (\S+)", banner)
    assert password, banner
    accounts = dict(
        re.findall(r"^    (demo-\S+) +(Therapist|Front desk|Clinic manager)", banner, re.M)
    )
    assert set(accounts.values()) == {"Therapist", "Front desk", "Clinic manager"}

    password_file = Path(re.search(r"kept in (\S+)\)", banner)[1])  # type: ignore[index]
    assert password_file.read_text().strip() == password[1]
    assert password_file.stat().st_mode & 0o777 == 0o600

    for username in accounts:
        _session, landed = signed_in(demo.base, username, password[1])
        assert landed == f"{demo.base}/admin/", f"{username} did not reach the dashboard"

    # The pages the banner names open for the role it names them for.
    sessions = {
        "demo-therapist": signed_in(demo.base, "demo-therapist", password[1])[0],
        "demo-frontdesk": signed_in(demo.base, "demo-frontdesk", password[1])[0],
    }
    named = re.findall(r"^  As (demo-\S+):\n((?:    .*\n)+)", banner, re.M)
    opened = 0
    for username, lines in named:
        for url in re.findall(rf"{re.escape(demo.base)}/admin/\S+", lines):
            assert sessions[username].open(url).status == 200
            opened += 1
    assert opened == 3, "an unacknowledged alert, an intake to review, a request to call"
    assert urllib.request.urlopen(f"{demo.base}/favicon.ico").status == 200

    assert demo.press_ctrl_c() == 0
    output = demo.output()
    assert output.rstrip().endswith("Stopped.")
    for alarming in ("Traceback", "ERROR", "Error", "No hostname was supplied", "Not Found"):
        assert alarming not in output, f"{alarming!r} in a normal start and stop:\n{output}"
