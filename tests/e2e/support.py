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


# Run in the page: every visible tap target (radio, checkbox, label, button, link, or an
# element that acts as a checkbox) with its size, the smallest first. A radio or checkbox
# counts together with its labels (a tap on the label ticks it); its size is the smaller
# side of the box around both. Used by tests/e2e/test_phone.py and bench/phone_pages.py.
TAP_TARGETS_JS = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [hidden]')) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const union = (rects) => {
    const left = Math.min(...rects.map((r) => r.left));
    const top = Math.min(...rects.map((r) => r.top));
    const right = Math.max(...rects.map((r) => r.right));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    return {width: right - left, height: bottom - top};
  };
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text.slice(0, 30)}"`;
  };
  const targets = [];
  const selector = 'input[type=radio], input[type=checkbox], label.form-check-label, '
    + 'button, a[href], [role=checkbox], summary';
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input') && el.labels && el.labels.length) {
      box = union([box, ...Array.from(el.labels).map((l) => l.getBoundingClientRect())]);
    }
    targets.push({what: name(el), width: box.width, height: box.height,
                  size: Math.min(box.width, box.height)});
  }
  return targets.sort((a, b) => a.size - b.size);
}"""
