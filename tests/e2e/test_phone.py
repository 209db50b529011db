"""The intake on a phone (issue 13, phone-first polish), in the browser: every missing-answer
message next to its question, tap targets of at least 44 px, the pain scale on two even rows,
one date-of-birth format, "Change" coming back to the last page, no resubmission prompt on
Back, and the safety check's "None of these" shortcut."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from intake.models import AppointmentRequest
from intake.questionnaire import ACTIVITY, KNEE, KNEE_V1, SAFETY
from tests.e2e.patient import (
    PAIN_LOCATION,
    answer_step,
    complete_intake,
    consent_and_send,
    fill_about,
    go_on,
    pick_on_knee_diagram,
    press,
    question,
)
from tests.e2e.support import E2E, NARROWEST_WIDTH, PHONE_WIDTH, TAP_TARGETS_JS, Screen
from tests.factories import RED_FLAG_ITEMS, valid_answers

pytestmark = E2E

LOCATION = "Riverside"
MIN_TARGET = 44
# The knee drawing's regions are drawn shapes, sized by the drawing (reported by
# bench/phone_pages.py); every other control is held to 44 px.
DRAWN = re.compile(r'^g "')


def _nothing(name: str) -> None:
    pass


def knee_step(page: Page, site: str) -> None:
    page.goto(site + reverse("intake:start"))
    answer_step(page, SAFETY, valid_answers())
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1, name=KNEE.title.en)).to_be_visible()


def to_about(page: Page, site: str, answers: dict[str, Any]) -> None:
    knee_step(page, site)
    pick_on_knee_diagram(page, list(answers[PAIN_LOCATION]))
    answer_step(page, KNEE, answers, skip=(PAIN_LOCATION,))
    go_on(page, "knee", "activity", _nothing)
    answer_step(page, ACTIVITY, answers)
    go_on(page, "activity", "about", _nothing)


def small_targets(page: Page) -> list[dict[str, Any]]:
    targets = page.evaluate(TAP_TARGETS_JS)
    return [t for t in targets if t["size"] < MIN_TARGET and not DRAWN.match(t["what"])]


def test_every_missing_answer_message_shows_next_to_its_question(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))
    press(page, "Continue")
    for item in KNEE_V1.items_in(SAFETY):
        expect(question(page, item).locator(".invalid-feedback")).to_be_visible()
    screen.shot("safety-errors")

    answer_step(page, SAFETY, valid_answers())
    press(page, "Continue")
    press(page, "Continue")  # the knee step, nothing answered
    for item in KNEE_V1.items_in(KNEE):
        if item.required and not item.enable_when:
            group = page.locator(f"#div_id_knee-{item.link_id}")
            expect(group.locator(".invalid-feedback")).to_be_visible()
            expect(group.locator(".invalid-feedback")).to_contain_text("Please")
    screen.shot("knee-errors")


@pytest.mark.parametrize("width", [NARROWEST_WIDTH, PHONE_WIDTH])
def test_tap_targets_are_at_least_44_pixels(
    site: str, open_screen: Callable[..., Screen], width: int
) -> None:
    screen = open_screen(width=width)
    page = screen.page
    answers = valid_answers(pain_location=["front"])
    seen: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        seen[name] = small_targets(page)

    page.goto(site + reverse("intake:start"))
    press(page, "Continue")  # with every error message shown
    check("safety-errors")
    complete_intake(page, answers, location=LOCATION, on_page=check)

    assert {name: found for name, found in seen.items() if found} == {}
    assert len(seen) > 8


@pytest.mark.parametrize("width", [NARROWEST_WIDTH, PHONE_WIDTH])
def test_the_pain_scale_is_two_even_rows(
    site: str, open_screen: Callable[..., Screen], width: int
) -> None:
    screen = open_screen(width=width)
    page = screen.page
    knee_step(page, site)
    # Laid out with the stylesheet: the heading can show before it has loaded.
    page.wait_for_load_state("load")
    for link_id in ("pain_now", "pain_worst_week"):
        boxes = page.locator(f"#div_id_knee-{link_id} .form-check-label")
        tops = [round(box["y"]) for box in (b.bounding_box() for b in boxes.all()) if box]
        rows = [tops.count(top) for top in sorted(set(tops))]
        assert rows == [6, 5], (link_id, rows)
    screen.shot(f"scale-{width}")


def test_the_date_of_birth_is_one_format_in_the_hint_the_error_and_the_check_page(
    site: str, screen: Screen
) -> None:
    page = screen.page
    to_about(page, site, valid_answers())
    born = page.get_by_label("Date of birth")
    expect(born).to_have_attribute("type", "text")
    expect(page.locator("#div_id_about-date_of_birth")).to_contain_text("MM/DD/YYYY")
    fill_about(page, location=LOCATION)
    born.fill("17/05/1990")  # day first: not a date in the US order
    press(page, "Continue")

    message = page.locator("#div_id_about-date_of_birth .invalid-feedback")
    expect(message).to_be_visible()
    expect(message).to_have_text(
        "Please enter your date of birth as MM/DD/YYYY, for example 05/17/1990."
    )
    page.get_by_label("Date of birth").fill("05/17/1990")
    go_on(page, "about", "check", _nothing)
    expect(page.locator(".check-list").last).to_contain_text("05/17/1990")


def test_change_from_the_last_page_comes_back_to_it(site: str, screen: Screen) -> None:
    page = screen.page
    to_about(page, site, valid_answers())
    fill_about(page, location=LOCATION)
    go_on(page, "about", "check", _nothing)

    page.get_by_role("link", name=f"Change your answers about “{KNEE.title.en}”").click()
    expect(page.get_by_role("heading", level=1, name=KNEE.title.en)).to_be_visible()
    side = KNEE_V1.by_link_id["side"]
    question(page, side).get_by_label(side.option_text("both"), exact=True).check()
    press(page, "Continue")

    page.wait_for_url(re.compile(r"/intake/check/$"))
    knee_answers = page.get_by_role("region", name=KNEE.title.en)
    expect(knee_answers).to_contain_text(side.option_text("both"))


def test_back_after_an_error_shows_the_page_without_a_resubmission_prompt(
    site: str, screen: Screen
) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))
    press(page, "Continue")  # an error page, in answer to a POST
    expect(page.locator("#error-summary")).to_be_visible()
    answer_step(page, SAFETY, valid_answers())
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1, name=KNEE.title.en)).to_be_visible()

    page.go_back()

    expect(page.get_by_role("heading", level=1, name=SAFETY.title.en)).to_be_visible()
    assert page.url.endswith("/intake/safety/")


def test_none_of_these_answers_no_to_every_safety_question(site: str, screen: Screen) -> None:
    page = screen.page
    answers = valid_answers(pain_location=["front"])
    page.goto(site + reverse("intake:start"))

    page.get_by_label("None of these apply to me").check()

    for item in KNEE_V1.items_in(SAFETY):
        expect(question(page, item).get_by_label("No", exact=True)).to_be_checked()
    screen.shot("none-of-these")
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1, name=KNEE.title.en)).to_be_visible()
    pick_on_knee_diagram(page, list(answers[PAIN_LOCATION]))
    answer_step(page, KNEE, answers, skip=(PAIN_LOCATION,))
    go_on(page, "knee", "activity", _nothing)
    answer_step(page, ACTIVITY, answers)
    go_on(page, "activity", "about", _nothing)
    fill_about(page, location=LOCATION)
    go_on(page, "about", "check", _nothing)
    consent_and_send(page)
    expect(page.locator("#reference")).to_be_visible()

    stored = AppointmentRequest.objects.select_related("intake").get().intake.answers
    assert {code: stored[code] for code in RED_FLAG_ITEMS} == dict.fromkeys(RED_FLAG_ITEMS, False)


def test_none_of_these_keeps_a_yes_and_its_advice(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:start"))
    numb = KNEE_V1.by_link_id["rf_numb_cold_foot"]
    question(page, numb).get_by_label("Yes", exact=True).check()

    page.get_by_label("None of these apply to me").check()

    expect(question(page, numb).get_by_label("Yes", exact=True)).to_be_checked()
    expect(page.locator(".advice--inline:visible")).to_have_count(1)
    press(page, "Continue")
    expect(page.locator("#advice-heading")).to_be_visible()
