"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server, on a phone-sized screen, with the site's real Content-Security-Policy.

Chromium is never downloaded: a missing browser, or a missing axe-core (installed by `npm ci`),
fails the tests with a message saying what to install; it never skips them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from intake.models import Location
from tests.e2e.support import AXE, PHONE_HEIGHT, PHONE_WIDTH, ROOT, Screen
from tests.factories import LocationFactory

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, per test module, so Playwright's event loop stops with the browser tests.

    Playwright's sync API keeps an asyncio loop running in this thread; the tests' own
    database calls (factories, assertions) are synchronous and safe, so Django's guard is
    lifted, for as long as the loop runs and no longer.
    """
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need Debian's chromium "
            "package (`apt-get install chromium fonts-dejavu-core`, which `make test` does as "
            "root), or CHROMIUM=/path/to/chromium.",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe() -> Path:
    """axe-core from npm (package.json); `serious_axe_violations` injects it."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE.relative_to(ROOT)}): run `npm ci --no-audit --no-fund` "
            "in the project folder (`make test` does it).",
            pytrace=False,
        )
    return AXE


@pytest.fixture
def site(live_server: Any) -> Iterator[str]:
    """The live server's address, with a clinic site to choose and no rate-limit history.
    Afterwards the test Redis is emptied again, so no notification queued by this test
    outlives its (flushed) rows."""
    cache.clear()
    if not Location.objects.filter(is_active=True).exists():
        LocationFactory(name="Riverside", address="12 River Road, Springfield")
    yield live_server.url
    cache.clear()


@pytest.fixture
def open_screen(
    browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Screen]]:
    """Open a phone tab: `open_screen(width=390, bypass_csp=False, **context_options)`
    (`locale="es"`: a browser that asks for Spanish); closed after the test."""
    contexts = []

    def open_(*, width: int = PHONE_WIDTH, bypass_csp: bool = False, **options: Any) -> Screen:
        context = browser.new_context(
            viewport={"width": width, "height": PHONE_HEIGHT},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            bypass_csp=bypass_csp,
            **{"locale": "en-US", **options},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Screen(context.new_page(), request.node.name)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def screen(open_screen: Callable[..., Screen]) -> Screen:
    """A phone-sized tab with the site's Content-Security-Policy enforced."""
    return open_screen()
