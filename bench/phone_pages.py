"""Benchmark: the patient's intake on a phone, measured in headless Chromium.

    .venv/bin/python bench/phone_pages.py [--width 390]

Creates a throwaway test database (PostgreSQL when DATABASE_URL is set, else SQLite in
memory), serves the site with Django's live-server thread (the server the browser tests
use), walks an intake in Debian's Chromium on a phone-sized screen (Playwright, as
tests/e2e does) and prints, for every patient page: its height in CSS pixels, and its
smallest tap target among radios, checkboxes, their labels, buttons and links. A radio or
checkbox is measured with its label (tapping the label ticks it, so together they are what
a finger hits); labels, buttons and links alone are listed too.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
# Playwright's sync API runs an event loop in this thread; the database calls are plain.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from django.db import connection  # noqa: E402

# In the page: every visible tap target's size, smallest first. Shared with the browser test
# (tests/e2e/test_phone.py) so both measure the same way.
from tests.e2e.support import TAP_TARGETS_JS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=390)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        run(args.width)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(width: int) -> None:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e.patient import PAIN_LOCATION, answer_step, fill_about, go_on, press
    from tests.e2e.support import PHONE_HEIGHT
    from tests.factories import LocationFactory, valid_answers

    LocationFactory(name="Riverside", address="12 River Road, Springfield")
    overrides = {
        alias: connections[alias]
        for alias in connections
        if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db()
    }
    for shared in overrides.values():
        shared.inc_thread_sharing()  # as LiveServerTestCase does
    server = LiveServerThread(
        "localhost", StaticFilesHandler, connections_override=overrides, port=0
    )
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    site = f"http://localhost:{server.port}"

    from intake.questionnaire import ACTIVITY, KNEE, SAFETY

    answers = valid_answers(pain_location=["front", "inner"])
    rows: list[tuple[str, int, dict[str, Any]]] = []
    kinds: dict[str, tuple[float, str]] = {}  # element kind -> its smallest, and where
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(
                viewport={"width": width, "height": PHONE_HEIGHT},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="en-US",
            )
            page = context.new_page()

            def measure(name: str) -> None:
                page.wait_for_load_state("load")  # a page just posted may still be loading
                page.wait_for_timeout(300)
                height = page.evaluate("() => document.documentElement.scrollHeight")
                targets = page.evaluate(TAP_TARGETS_JS)
                rows.append((name, height, targets[0] if targets else {}))
                for target in targets:
                    kind = target["what"].split('"')[0].split("#")[0].strip()
                    if kind not in kinds or target["size"] < kinds[kind][0]:
                        kinds[kind] = (target["size"], f"{target['what']} on {name}")

            page.goto(site + reverse("intake:home"))
            measure("home")
            page.goto(site + reverse("intake:start"))
            measure("safety")
            press(page, "Continue")  # nothing answered: every message shown
            measure("safety (errors)")
            answer_step(page, SAFETY, answers)
            press(page, "Continue")
            page.wait_for_url("**/intake/knee/")
            measure("knee")
            press(page, "Continue")
            measure("knee (errors)")
            for code in answers[PAIN_LOCATION]:
                page.locator(f'[data-code="{code}"]').first.tap()
            answer_step(page, KNEE, answers, skip=(PAIN_LOCATION,))
            go_on(page, "knee", "activity", lambda name: None)
            measure("activity")
            answer_step(page, ACTIVITY, answers)
            go_on(page, "activity", "about", lambda name: None)
            measure("about")
            fill_about(page, location="Riverside")
            go_on(page, "about", "check", lambda name: None)
            measure("check")
            browser.close()
    finally:
        server.terminate()

    print(f"Phone pages at {width} px wide (Chromium {CHROMIUM})")
    print(f"{'page':<18}{'height px':>10}{'smallest tap target':>22}  element")
    smallest: tuple[float, str, str] | None = None
    for name, height, target in rows:
        size = target.get("size", 0.0)
        what = target.get("what", "")
        print(f"{name:<18}{height:>10,}{size:>19.0f} px  {what}")
        if target and (smallest is None or size < smallest[0]):
            smallest = (size, name, what)
    knee = next(height for name, height, _ in rows if name == "knee")
    print(f"\nKnee step height: {knee:,} px")
    if smallest:
        print(f"Smallest tap target: {smallest[0]:.0f} px ({smallest[2]} on {smallest[1]})")
    for kind, (size, where) in sorted(kinds.items()):
        print(f"  smallest {kind:<8} {size:>4.0f} px  {where}")


if __name__ == "__main__":
    main()
