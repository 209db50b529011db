"""`scripts/respawn`, which `make run` puts in front of each process (Procfile.dev): a
process that exits is started again, and stopping the wrapper stops it for good."""

from __future__ import annotations

import signal
import subprocess
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
