"""Every page of the intake, on a phone: no serious or critical axe-core violations, in
English and in Spanish, and nothing wider than the narrowest phone screen (320 CSS pixels)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from intake.questionnaire import KNEE, KNEE_V1, SAFETY
from tests.e2e.patient import (
    OnPage,
    answer,
    answer_step,
    complete_intake,
    pick_on_knee_diagram,
    press,
)
from tests.e2e.support import (
    E2E,
    NARROWEST_WIDTH,
    Screen,
    describe_violations,
    serious_axe_violations,
)
from tests.factories import valid_answers

pytestmark = E2E

LOCATION = "Riverside"


def visit_every_page(site: str, screen: Screen, check: OnPage) -> None:
    """Home, a step with errors, every step, check and send, confirmation, the status page before
    and after cancelling, and the emergency advice; `check` runs on each."""
    page = screen.page

    def on_page(name: str) -> None:
        screen.shot(name)
        check(name)

    page.goto(site + reverse("intake:home"))
    on_page("home")
    page.get_by_role("link", name=gettext("Start your intake")).first.tap()
    press(page, "Continue")  # nothing answered yet
    expect(page.get_by_role("alert").first).to_be_visible()
    on_page("safety-errors")

    complete_intake(
        page,
        valid_answers(pain_location=["below_kneecap", "whole"]),
        location=LOCATION,
        on_page=on_page,
    )
    page.locator(".status-link a").click()
    expect(
        page.get_by_role("heading", level=1, name=gettext("Your appointment request"))
    ).to_be_visible()
    on_page("status")
    page.get_by_role("link", name=gettext("Cancel my request")).click()
    expect(
        page.get_by_role("heading", level=1, name=gettext("Cancel your request?"))
    ).to_be_visible()
    on_page("status-cancel")
    page.get_by_role("button", name=gettext("Yes, cancel my request")).click()
    expect(page.get_by_role("heading", level=2, name=gettext("Cancelled"))).to_be_visible()
    on_page("status-cancelled")

    page.goto(site + reverse("intake:start") + "?reset")
    answer_step(page, SAFETY, valid_answers(rf_calf_swelling=True))
    on_page("safety-advice-shown")  # the yes's advice, shown under it by the script
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        gettext("Call %(emergency_number)s or go to an emergency department now")
        % {"emergency_number": settings.EMERGENCY_NUMBER}
    )
    on_page("emergency")

    # One yes and nothing else: the advice, then the questions skipped.
    page.goto(site + reverse("intake:start") + "?reset")
    answer(page, KNEE_V1.items_in(SAFETY)[0], True)
    press(page, "Continue")
    expect(page.locator("#advice-heading")).to_be_visible()
    on_page("advice-one-yes")
    press(page, "Still send my details")
    expect(
        page.get_by_text(
            gettext(
                "Thank you. Please answer the questions you have not answered yet, so we know "
                "how best to help. Your answers so far are kept."
            )
        )
    ).to_be_visible()
    on_page("safety-rest")

    # A red flag from the knee answers: its advice right after the knee step.
    page.goto(site + reverse("intake:start") + "?reset")
    derived = valid_answers(
        onset="injury",
        duration="1_to_6_weeks",
        injury_mechanism=["fall"],
        felt_pop=False,
        swelling_after_injury="later",
        rapid_bruising=False,
        kneecap_dislocation="once",
    )
    answer_step(page, SAFETY, derived)
    press(page, "Continue")
    pick_on_knee_diagram(page, list(derived["pain_location"]))
    answer_step(page, KNEE, derived, skip=("pain_location",))
    press(page, "Continue")
    expect(page.locator("#advice-heading")).to_be_visible()
    on_page("knee-advice")


@pytest.mark.parametrize(("language", "browser_asks"), [("en-us", "en-US"), ("es", "es-MX")])
def test_every_page_has_no_serious_accessibility_violations(
    site: str, open_screen: Callable[..., Screen], axe: Path, language: str, browser_asks: str
) -> None:
    # axe is injected as an inline script, which the site's CSP rightly refuses.
    screen = open_screen(bypass_csp=True, locale=browser_asks)
    found: dict[str, list[dict[str, Any]]] = {}
    declared: dict[str, str | None] = {}

    def check(name: str) -> None:
        found[name] = serious_axe_violations(screen.page)
        declared[name] = screen.page.locator("html").get_attribute("lang")

    with translation.override(language):  # the driver reads the pages' words in it
        visit_every_page(site, screen, check)

    assert set(declared.values()) == {language}

    assert {"emergency", "advice-one-yes", "safety-rest", "knee-advice"} <= set(found)
    failing = {name: violations for name, violations in found.items() if violations}
    assert not failing, "\n".join(
        f"{name}:\n{describe_violations(violations)}" for name, violations in failing.items()
    )


def test_every_page_fits_a_320_pixel_screen(site: str, open_screen: Callable[..., Screen]) -> None:
    screen = open_screen(width=NARROWEST_WIDTH)
    page: Page = screen.page
    too_wide: dict[str, int] = {}

    def check(name: str) -> None:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > NARROWEST_WIDTH:
            too_wide[name] = width

    visit_every_page(site, screen, check)

    assert too_wide == {}, f"pages wider than {NARROWEST_WIDTH} px (they scroll sideways)"


def test_the_accessibility_check_catches_an_unlabelled_field(
    site: str, open_screen: Callable[..., Screen], axe: Path
) -> None:
    """Guards the check above against passing vacuously (axe not loaded, wrong impacts)."""
    page = open_screen(bypass_csp=True).page
    page.goto(site + reverse("intake:home"))
    page.evaluate("() => document.querySelector('main').append(document.createElement('input'))")

    violations = serious_axe_violations(page)

    assert [violation["id"] for violation in violations] == ["label"]
