"""Benchmark: the patient's intake under gunicorn, against a one-INSERT view, side by side.

    .venv/bin/python bench/submit.py [--compare /path/to/other/checkout] [--rounds 3]

Starts its own PostgreSQL and Redis (tests/services.py) and an SMTP sink (tests/smtp.py);
then, for this checkout and each ``--compare`` checkout, its own database (migrated, one site
with ``--therapists`` therapists and a front desk user), gunicorn (2 sync workers) on the
project with a bench-only URLconf that adds a one-INSERT baseline view (bench/submit_site/),
and a real Celery worker. Rounds are interleaved (each round measures every checkout, in
alternating order), ``--connections`` concurrent clients, a new connection per request:

- baseline: GET of the one-INSERT view;
- first step GET: the safety page, in a started intake;
- whole intake: start, every page GET and POST, send, the confirmation;
- final submit: the "send" POST of intakes filled in beforehand (not timed).

For each: requests/s, p50/p95 and the ratio to the baseline of the same checkout in the same
round (the median of the rounds). Plus, from one counted intake per round (a header asks the
bench middleware to count): SQL statements and session writes per request; CPU of the
gunicorn workers per request in each phase; CPU of the Celery worker per submitted intake
(from the submit until its outbox is empty); RSS of the web workers after the load.
Absolute figures vary on a shared machine: compare the ratios.

A ``--compare`` checkout needs its own ``.venv`` (``make .venv/.installed`` there): with this
checkout's, the editable install's import hook would load this checkout's modules for both.
For main before issue 16: ``git worktree add --detach ../wt-before a03519c``.
"""

from __future__ import annotations

import argparse
import html
import http.client
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import Services, free_port, wait_for_port  # noqa: E402
from tests.smtp import SmtpSink  # noqa: E402

WIZARD = "intake_wizard"
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# The targets (ratios to the one-INSERT view, statements, worker CPU, RSS).
TARGETS = {"final submit": 0.12, "whole intake": 0.25, "first step GET": 0.4}
STATEMENTS_TARGET = 12
WORKER_CPU_TARGET_MS = 8.0
RSS_TARGET_MIB = 100


# --- processes ----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and of its children (gunicorn's workers, Celery's pool)."""
    total = 0.0
    for one in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found + [grand for child in found for grand in children(child)]


def rss_mib(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_SIZE / 2**20


@dataclass
class Checkout:
    label: str
    path: Path
    python: str
    env: dict[str, str]
    database_url: str
    port: int = 0
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    location: int = 0
    results: dict[str, list[Phase]] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    worker_cpu_ms: list[float] = field(default_factory=list)
    mails_per_intake: list[float] = field(default_factory=list)

    def run(self, *command: str) -> str:
        result = subprocess.run(
            [self.python, *command],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{self.label}: {command} failed:\n{result.stderr[-3000:]}")
        return result.stdout


SEED = """
import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
import django; django.setup()
from django.contrib.auth.models import Group
from django.db import connection
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TABLE bench_hit (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())"
    )
location = LocationFactory(name="Riverside")
TherapistFactory.create_batch({therapists}, locations=[location])
desk = UserFactory(username="bench-desk")
desk.groups.add(Group.objects.get(name=roles.FRONT_DESK))
print(location.pk)
"""


def prepare(checkout: Checkout, therapists: int) -> None:
    import psycopg

    server, _, name = checkout.database_url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    checkout.run("manage.py", "migrate", "--noinput", "-v", "0")
    seed = SEED.format(therapists=therapists)
    checkout.location = int(checkout.run("-c", seed).strip().splitlines()[-1])


def start(checkout: Checkout, log_dir: Path) -> None:
    checkout.port = free_port()
    web_env = {**checkout.env, "PYTHONPATH": f"{ROOT / 'bench'}:{checkout.env['PYTHONPATH']}"}
    checkout.web = subprocess.Popen(
        [
            checkout.python,
            "-m",
            "gunicorn",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{checkout.port}",
            "--backlog=256",
            "--log-level=warning",
            "submit_site.wsgi",
        ],
        cwd=checkout.path,
        env=web_env,
        stdout=(log_dir / f"{checkout.label}-web.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    checkout.worker = subprocess.Popen(
        [
            checkout.python,
            "-m",
            "celery",
            "-A",
            "clinic",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--hostname=bench-{checkout.label}@%h",
        ],
        cwd=checkout.path,
        env=checkout.env,
        stdout=(log_dir / f"{checkout.label}-worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_port(checkout.port, timeout=60)
    status, _, _ = request(checkout, "GET", "/bench/one-insert/", Browser())
    assert status == 200, f"{checkout.label}: the baseline view answered {status}"


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def outbox_drained(checkout: Checkout, timeout: float = 120) -> int:
    """Wait until the worker has delivered every notification; returns how many exist."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(checkout.database_url, autocommit=True) as connection:
        while True:
            open_, total = connection.execute(
                "SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')), count(*) "
                "FROM intake_notification"
            ).fetchone()  # type: ignore[misc]
            if not open_:
                return int(total)
            if time.monotonic() > deadline:
                raise RuntimeError(f"{checkout.label}: {open_} notifications still not sent")
            time.sleep(0.05)


# --- a browser ----------------------------------------------------------------------------------


class Browser:
    """One patient's cookies (session and CSRF)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def request(
    checkout: Checkout,
    method: str,
    path: str,
    browser: Browser,
    data: dict[str, Any] | None = None,
    count: bool = False,
) -> tuple[int, str, http.client.HTTPResponse]:
    # A new connection per request: gunicorn's sync workers close each one.
    connection = http.client.HTTPConnection("127.0.0.1", checkout.port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if browser.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    if count:
        headers["X-Bench-Count"] = "1"
    body = None
    if data is not None:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": browser.csrf}, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            cookie = value.split(";", 1)[0]
            key, _, val = cookie.partition("=")
            browser.cookies[key.strip()] = val.strip().strip('"')
    if response.status >= 400:
        raise RuntimeError(f"{checkout.label}: {method} {path} answered {response.status}")
    return response.status, text, response


def location_of(response: http.client.HTTPResponse) -> str:
    return urllib.parse.urlsplit(response.getheader("Location", "")).path


@dataclass
class Walk:
    """One request of an intake: what was sent and the statements it issued (when counted)."""

    name: str
    statements: int
    session_writes: int


class Intake:
    """The whole intake as a browser walks it: POST a page, follow the redirect."""

    def __init__(self, steps: list[tuple[str, dict[str, Any]]]) -> None:
        self.steps = steps

    def fill(
        self, checkout: Checkout, browser: Browser, count: bool = False, timed: list | None = None
    ) -> list[Walk]:
        """Start and answer every page up to "check and send" (GETs included)."""
        walks: list[Walk] = []

        def go(name: str, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
            begun = time.perf_counter()
            status, text, response = request(checkout, method, path, browser, data, count)
            if timed is not None:
                timed.append(time.perf_counter() - begun)
            if count:
                walks.append(
                    Walk(
                        name,
                        int(response.getheader("X-Bench-Statements", "0")),
                        int(response.getheader("X-Bench-Session-Writes", "0")),
                    )
                )
            return status, text, response

        _, _, response = go("start GET", "GET", "/intake/")
        page = location_of(response)
        go(f"{page} GET", "GET", page)
        for step, values in self.steps:
            assert page == f"/intake/{step}/", (checkout.label, page, step)
            payload = {
                f"{WIZARD}-current_step": step,
                **{f"{step}-{k}": v for k, v in values.items()},
            }
            status, _, response = go(f"{step} POST", "POST", page, payload)
            assert status == 302, (checkout.label, step, status)
            page = location_of(response)
            _, text, _ = go(f"{page} GET", "GET", page)
        assert page == "/intake/check/", (checkout.label, page)
        browser.check_page = text  # type: ignore[attr-defined]
        return walks

    def send(
        self, checkout: Checkout, browser: Browser, count: bool = False
    ) -> tuple[int, http.client.HTTPResponse]:
        token = re.search(r'name="check-submission_token" value="([^"]+)"', browser.check_page)  # type: ignore[attr-defined]
        assert token, f"{checkout.label}: no submission token on the check page"
        payload = {
            f"{WIZARD}-current_step": "check",
            "check-consent_privacy": "on",
            "check-consent_not_diagnosis": "on",
            "check-submission_token": html.unescape(token.group(1)),
            "check-website": "",
        }
        status, _, response = request(checkout, "POST", "/intake/check/", browser, payload, count)
        assert status == 302, (checkout.label, status)
        assert location_of(response) == "/intake/sent/", (checkout.label, location_of(response))
        return status, response


def intake_steps(location: int) -> list[tuple[str, dict[str, Any]]]:
    """The answers of every page, as the browser posts them, from this checkout's helpers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from tests.factories import valid_answers
    from tests.intake.site_client import STEP_CODES, about_values, form_values

    answers = valid_answers()
    steps = [(step, form_values(answers, step)) for step in STEP_CODES]
    return [*steps, ("about", about_values(location))]


# --- phases -------------------------------------------------------------------------------------


@dataclass
class Phase:
    requests: int
    seconds: float
    latencies: list[float]
    web_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@dataclass
class Probe:
    walks: list[Walk]
    submit: Walk


def concurrently(
    connections: int, work: Iterable[Any], job: Any, until: float | None = None
) -> tuple[float, list[float]]:
    """Run `job(item, latencies)` over `work` on `connections` threads, until `work` runs out
    or the clock passes `until`; the wall time."""
    latencies: list[float] = []
    lock = threading.Lock()
    items = iter(work)
    done = object()

    def loop() -> None:
        mine: list[float] = []
        while until is None or time.perf_counter() < until:
            with lock:
                item = next(items, done)
            if item is done:
                break
            job(item, mine)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - begun, latencies


def timed_gets(checkout: Checkout, path: str, browsers: list[Browser], seconds: float) -> Phase:
    """GETs of `path` by `browsers` (one connection each) for `seconds`."""

    def job(browser: Browser, latencies: list[float]) -> None:
        begun = time.perf_counter()
        request(checkout, "GET", path, browser)
        latencies.append(time.perf_counter() - begun)

    assert checkout.web is not None
    cpu = cpu_seconds(checkout.web.pid)
    until = time.perf_counter() + seconds
    wall, latencies = concurrently(len(browsers), itertools.cycle(browsers), job, until)
    return Phase(len(latencies), wall, latencies, cpu_seconds(checkout.web.pid) - cpu)


def one_round(checkout: Checkout, intake: Intake, args: argparse.Namespace) -> None:
    assert checkout.web is not None
    assert checkout.worker is not None
    web, worker = checkout.web.pid, checkout.worker.pid
    record = checkout.results.setdefault

    record("baseline", []).append(
        timed_gets(
            checkout,
            "/bench/one-insert/",
            [Browser() for _ in range(args.connections)],
            args.seconds,
        )
    )

    started = []
    for _ in range(args.connections):
        browser = Browser()
        request(checkout, "GET", "/intake/", browser)
        started.append(browser)
    record("first step GET", []).append(
        timed_gets(checkout, "/intake/safety/", started, args.seconds)
    )

    # One intake counted statement by statement (not timed).
    outbox_drained(checkout)
    browser = Browser()
    walks = intake.fill(checkout, browser, count=True)
    _, response = intake.send(checkout, browser, count=True)
    submit = Walk(
        "check POST (send)",
        int(response.getheader("X-Bench-Statements", "0")),
        int(response.getheader("X-Bench-Session-Writes", "0")),
    )
    _, _, response = request(checkout, "GET", "/intake/sent/", browser, count=True)
    confirmation = Walk(
        "/intake/sent/ GET",
        int(response.getheader("X-Bench-Statements", "0")),
        int(response.getheader("X-Bench-Session-Writes", "0")),
    )
    checkout.probes.append(Probe([*walks, submit, confirmation], submit))
    outbox_drained(checkout)

    # The whole intake, timed.
    def walk(_: int, latencies: list[float]) -> None:
        one = Browser()
        intake.fill(checkout, one, timed=latencies)
        begun = time.perf_counter()
        intake.send(checkout, one)
        latencies.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        request(checkout, "GET", "/intake/sent/", one)
        latencies.append(time.perf_counter() - begun)

    cpu = cpu_seconds(web)
    wall, latencies = concurrently(args.connections, list(range(args.intakes)), walk)
    record("whole intake", []).append(
        Phase(len(latencies), wall, latencies, cpu_seconds(web) - cpu)
    )
    sent_before = outbox_drained(checkout)

    # The final submit: intakes filled in first, then only their "send" POSTs timed.
    filled = [Browser() for _ in range(args.submits)]
    concurrently(args.connections, filled, lambda b, _: intake.fill(checkout, b))

    def send(browser: Browser, latencies: list[float]) -> None:
        begun = time.perf_counter()
        intake.send(checkout, browser)
        latencies.append(time.perf_counter() - begun)

    worker_cpu = cpu_seconds(worker)
    cpu = cpu_seconds(web)
    wall, latencies = concurrently(args.connections, filled, send)
    record("final submit", []).append(
        Phase(len(latencies), wall, latencies, cpu_seconds(web) - cpu)
    )
    sent_after = outbox_drained(checkout)
    checkout.worker_cpu_ms.append((cpu_seconds(worker) - worker_cpu) * 1000 / args.submits)
    checkout.mails_per_intake.append((sent_after - sent_before) / args.submits)


# --- report -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(share * len(ordered)) - 1)]


def report(checkouts: list[Checkout], args: argparse.Namespace) -> None:
    labels = [c.label for c in checkouts]
    width = 26
    print(
        f"\n{args.rounds} interleaved rounds, {args.connections} connections, gunicorn 2 sync "
        f"workers, {args.therapists} therapists + front desk told; {os.cpu_count()} CPU cores"
    )
    print(f"{'':<34}" + "".join(f"{label:>{width}}" for label in labels))

    def row(name: str, values: list[str]) -> None:
        print(f"{name:<34}" + "".join(f"{v:>{width}}" for v in values))

    for phase in ("baseline", "first step GET", "whole intake", "final submit"):
        print(f"-- {phase}")
        cells = []
        for c in checkouts:
            runs = c.results[phase]
            rate = statistics.median(r.rate for r in runs)
            cells.append(f"{rate:,.1f} req/s")
        row("  requests/s (median of rounds)", cells)
        cells = []
        for c in checkouts:
            latencies = [x for r in c.results[phase] for x in r.latencies]
            p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
            cells.append(f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms")
        row("  p50 / p95", cells)
        cells = []
        for c in checkouts:
            cpu = sum(r.web_cpu for r in c.results[phase]) / sum(
                r.requests for r in c.results[phase]
            )
            cells.append(f"{cpu * 1000:.2f} ms")
        row("  web CPU per request", cells)
        if phase != "baseline":
            cells = []
            for c in checkouts:
                ratios = [
                    r.rate / b.rate
                    for r, b in zip(c.results[phase], c.results["baseline"], strict=True)
                ]
                ratio = statistics.median(ratios)
                verdict = "ok" if ratio >= TARGETS[phase] else "below"
                cells.append(f"{ratio:.3f} ({verdict})")
            row(f"  ratio to baseline (>= {TARGETS[phase]})", cells)
            cells = []
            for c in checkouts:
                base = sum(r.web_cpu for r in c.results["baseline"]) / sum(
                    r.requests for r in c.results["baseline"]
                )
                cpu = sum(r.web_cpu for r in c.results[phase]) / sum(
                    r.requests for r in c.results[phase]
                )
                cells.append(f"{cpu / base:.1f}x")
            row("  web CPU ÷ baseline's", cells)
    print("-- counted intake (statements, session writes)")
    row(
        "  SQL statements per final submit",
        [
            f"{'/'.join(str(p.submit.statements) for p in c.probes)} "
            f"({'ok' if max(p.submit.statements for p in c.probes) <= STATEMENTS_TARGET else 'above'})"  # noqa: E501
            for c in checkouts
        ],
    )
    row(
        "  statements, whole intake",
        [str(sum(w.statements for w in c.probes[-1].walks)) for c in checkouts],
    )
    row("  requests in a whole intake", [str(len(c.probes[-1].walks)) for c in checkouts])
    row(
        "  session writes (on GETs)",
        [
            f"{sum(w.session_writes for w in c.probes[-1].walks)}"
            f" ({sum(w.session_writes for w in c.probes[-1].walks if w.name.endswith('GET'))})"
            for c in checkouts
        ],
    )
    print("-- worker and memory")
    row("  e-mails per intake", [f"{statistics.median(c.mails_per_intake):.1f}" for c in checkouts])
    row(
        f"  worker CPU per intake (<= {WORKER_CPU_TARGET_MS:.0f} ms)",
        [
            f"{statistics.median(c.worker_cpu_ms):.1f} ms "
            f"({'ok' if statistics.median(c.worker_cpu_ms) <= WORKER_CPU_TARGET_MS else 'above'})"
            for c in checkouts
        ],
    )
    cells = []
    for c in checkouts:
        assert c.web is not None
        rss = max(rss_mib(pid) for pid in children(c.web.pid))
        cells.append(f"{rss:.0f} MiB ({'ok' if rss < RSS_TARGET_MIB else 'above'})")
    row(f"  web worker RSS after load (< {RSS_TARGET_MIB})", cells)
    if args.verbose:
        for c in checkouts:
            print(f"-- {c.label}: statements and session writes per request of the counted intake")
            for w in c.probes[-1].walks:
                print(f"  {w.name:<28}{w.statements:>5}{w.session_writes:>4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        type=Path,
        help="another checkout to measure in the same run (e.g. main's)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=2.0, help="per GET phase and round")
    # Three per connection: every connection stays busy through the phase, as in the
    # baseline's. With fewer intakes than connections the phase was mostly its ramp and
    # its slowest walk, and read about 5% lower (0.213 against 0.224 for the same code).
    parser.add_argument("--intakes", type=int, default=48, help="whole intakes per round")
    parser.add_argument("--submits", type=int, default=48, help="final submits per round")
    parser.add_argument("--therapists", type=int, default=3, help="at the site, all told")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-request counts")
    args = parser.parse_args()

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP sink's chatter
    services, sink = Services(), SmtpSink()
    services.start()
    sink.start()
    log_dir = services.root / "logs"
    log_dir.mkdir()
    checkouts: list[Checkout] = []
    try:
        paths = [("this", ROOT), *((f"{p.name}", p.resolve()) for p in args.compare)]
        for number, (label, path) in enumerate(paths, start=1):
            own = path / ".venv" / "bin" / "python"
            python = str(own) if own.exists() else sys.executable
            database_url = services.postgres.url.rpartition("/")[0] + f"/bench{number}"
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
                "PYTHONPATH": str(path),  # its own code, even with this checkout's .venv
                "DATABASE_URL": database_url,
                "REDIS_URL": services.redis.url.rpartition("/")[0] + f"/{number}",
                "EMAIL_URL": sink.url,
                "VAR_DIR": str(services.root / f"var{number}"),
                "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
                "CLINIC_ENV": "development",
                "DEBUG": "false",
                "LOG_LEVEL": "WARNING",
                "INTAKE_SUBMIT_RATE": "1000000/s",
                "PYTHONUNBUFFERED": "1",
            }
            checkouts.append(Checkout(label, path, python, env, database_url))
        for checkout in checkouts:
            prepare(checkout, args.therapists)
            start(checkout, log_dir)
            print(
                f"{checkout.label}: {checkout.path} (python {checkout.python}) on :{checkout.port}"
            )
        os.environ.update(
            DATABASE_URL=checkouts[0].database_url,
            REDIS_URL=checkouts[0].env["REDIS_URL"],
            VAR_DIR=checkouts[0].env["VAR_DIR"],
            SECRET_KEY=checkouts[0].env["SECRET_KEY"],
        )
        intake = Intake(intake_steps(checkouts[0].location))
        for checkout in checkouts[1:]:
            assert checkout.location == checkouts[0].location
        for number in range(args.rounds):
            order = checkouts if number % 2 == 0 else checkouts[::-1]
            for checkout in order:
                one_round(checkout, intake, args)
            print(f"round {number + 1} of {args.rounds} done", flush=True)
        report(checkouts, args)
    except Exception:
        for checkout in checkouts:
            for log in log_dir.glob(f"{checkout.label}-*.log"):
                print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        for checkout in checkouts:
            stop(checkout.web)
            stop(checkout.worker)
        sink.stop()
        services.stop()
        shutil.rmtree(services.root, ignore_errors=True)


if __name__ == "__main__":
    main()
