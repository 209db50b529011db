"""Helpers for the browser tests: a phone tab that saves screenshots, and axe-core checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE_WIDTH, PHONE_HEIGHT = 390, 844
NARROWEST_WIDTH = 320
BLOCKING_IMPACTS = ("serious", "critical")

# Every browser test module starts with `pytestmark = E2E`: the live server needs committed
# data, so each test's rows are flushed afterwards (the `site` fixture re-seeds what it needs).
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Screen:
    """One browser tab on a phone, saving a screenshot of each step as a test artifact."""

    def __init__(self, page: Page, test_name: str) -> None:
        self.page = page
        self.test_name = re.sub(r"[^\w.-]+", "_", test_name)
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def shot(self, step: str) -> Path:
        """Save `test-artifacts/e2e/<test>-<step>.png` of the whole page."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.test_name}-{step}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "Content Security Policy" in text]


def serious_axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; its serious and critical violations.

    axe is injected as an inline script, so the tab must bypass the page's CSP.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Readable lines for an assertion message: rule, impact, help and where."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)
