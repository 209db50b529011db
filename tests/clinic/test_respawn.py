"""`scripts/respawn`, which `make run` puts in front of each process (Procfile.dev): a
process that exits is started again, and stopping the wrapper stops it for good."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT


def test_a_process_that_exits_is_started_again_until_the_wrapper_is_stopped(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    wrapper = subprocess.Popen(
        [str(ROOT / "scripts/respawn"), "sh", "-c", f"echo run >> {runs}; exit 3"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while (runs.read_text().count("run") if runs.exists() else 0) < 3:
        assert time.monotonic() < deadline, "not started again three times"
        time.sleep(0.1)

    wrapper.send_signal(signal.SIGTERM)
    assert wrapper.wait(timeout=10) is not None
    count = runs.read_text().count("run")
    time.sleep(2.5)
    assert runs.read_text().count("run") == count  # stopped for good
    assert "exited with status 3; starting it again" in wrapper.stderr.read()  # type: ignore[union-attr]


def test_stopping_the_wrapper_stops_a_long_running_process() -> None:
    wrapper = subprocess.Popen([str(ROOT / "scripts/respawn"), "sleep", "300"])
    children: list[str] = []
    deadline = time.monotonic() + 10
    while not children:
        assert time.monotonic() < deadline, "the command never started"
        children = Path(f"/proc/{wrapper.pid}/task/{wrapper.pid}/children").read_text().split()
        time.sleep(0.05)

    wrapper.send_signal(signal.SIGINT)
    assert wrapper.wait(timeout=10) is not None
    time.sleep(0.2)
    assert not Path(f"/proc/{children[0]}").exists()


def test_a_signal_to_the_whole_group_reaches_the_process_once(tmp_path: Path) -> None:
    # honcho stops each process with killpg, and a terminal's Ctrl-C signals the whole
    # foreground group: the process already has the signal. A second one arrives while it
    # shuts down, and celery beat then prints a traceback on the way out of `make run`.
    received = tmp_path / "received"
    child = (
        "import signal, sys, time\n"
        f"def note(*_):\n    open({str(received)!r}, 'a').write('TERM\\n')\n"
        "signal.signal(signal.SIGTERM, note)\n"
        f"open({str(received)!r}, 'w').close()\n"
        f"while not open({str(received)!r}).read():\n    time.sleep(0.05)\n"
        "time.sleep(1)\n"  # shutting down: a second SIGTERM would arrive now
    )
    wrapper = subprocess.Popen(
        [str(ROOT / "scripts/respawn"), sys.executable, "-c", child], start_new_session=True
    )
    deadline = time.monotonic() + 10
    while not received.exists():
        assert time.monotonic() < deadline, "the command never started"
        time.sleep(0.05)

    os.killpg(wrapper.pid, signal.SIGTERM)
    assert wrapper.wait(timeout=10) == 0
    assert received.read_text() == "TERM\n"
