"""The knee diagram in the browser: it is the one list of places (mirroring the hidden
pain-location checkboxes), shows the knee chosen, works from the keyboard, keeps its choices,
and gives way to the plain list without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from intake.questionnaire import ACTIVITY, KNEE, KNEE_V1, SAFETY
from tests.e2e.patient import answer_step, press
from tests.e2e.support import E2E, Screen
from tests.factories import valid_answers

pytestmark = E2E

PAIN_LOCATION = KNEE_V1.by_link_id["pain_location"]


def open_knee_step(page: Page, site: str, *, javascript: bool = True) -> None:
    page.goto(site + reverse("intake:start"))
    answer_step(page, SAFETY, valid_answers())
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1, name=KNEE.title.en)).to_be_visible()
    if javascript:
        # The script shows the diagram once it is wired up.
        expect(page.locator("[data-knee-diagram]")).to_be_visible()


def region(page: Page, code: str) -> Locator:
    return page.locator(f'[data-knee-diagram] [data-code="{code}"]')


def checkbox(page: Page, code: str) -> Locator:
    return page.locator(f'#pain-location input[type="checkbox"][value="{code}"]')


def test_tapping_a_region_ticks_its_box_and_names_it(site: str, screen: Screen) -> None:
    page = screen.page
    open_knee_step(page, site)

    region(page, "below_kneecap").tap()

    expect(checkbox(page, "below_kneecap")).to_be_checked()
    expect(region(page, "below_kneecap")).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-knee-chosen]")).to_have_text(
        f"You chose: {PAIN_LOCATION.option_text('below_kneecap')}."
    )
    screen.shot("below-kneecap")

    region(page, "below_kneecap").tap()

    expect(checkbox(page, "below_kneecap")).not_to_be_checked()
    expect(region(page, "below_kneecap")).to_have_attribute("aria-checked", "false")


def test_the_drawing_is_the_one_list_of_places(site: str, screen: Screen) -> None:
    page = screen.page
    open_knee_step(page, site)

    # The boxes the drawing ticks are not shown a second time.
    for option in PAIN_LOCATION.options:
        expect(checkbox(page, option.code)).to_be_hidden()
    # A box ticked (say, restored by the browser) still marks its region.
    checkbox(page, "outer").evaluate(
        "box => { box.checked = true; box.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    expect(region(page, "outer")).to_have_attribute("aria-checked", "true")
    expect(region(page, "outer")).to_have_class("knee-region knee-view-front is-selected")


def test_the_drawing_mirrors_the_knee_chosen(site: str, screen: Screen) -> None:
    page = screen.page
    open_knee_step(page, site)
    drawing = page.locator(".knee-diagram__drawing")
    side = KNEE_V1.by_link_id["side"]
    inner = region(page, "inner")
    left_x = inner.bounding_box()["x"]  # type: ignore[index]
    expect(page.locator("#knee-diagram-help")).to_contain_text("shows your left knee")

    page.get_by_role("group", name=side.text.en).get_by_label(
        side.option_text("right"), exact=True
    ).check()

    expect(drawing).to_have_class("knee-diagram__drawing is-right")
    expect(page.locator("#knee-diagram-help")).to_contain_text("shows your right knee")
    # In front, the inner side of a right knee is on the viewer's right.
    assert inner.bounding_box()["x"] > left_x + 50  # type: ignore[index]
    screen.shot("right-knee")


def test_regions_toggle_with_enter_and_space(site: str, screen: Screen) -> None:
    page = screen.page
    open_knee_step(page, site)

    region(page, "back").focus()
    page.keyboard.press("Enter")
    expect(checkbox(page, "back")).to_be_checked()
    page.keyboard.press("Tab")
    expect(region(page, "inner_below")).to_be_focused()
    page.keyboard.press("Space")
    expect(checkbox(page, "inner_below")).to_be_checked()
    screen.shot("keyboard")
    page.keyboard.press("Space")

    expect(checkbox(page, "inner_below")).not_to_be_checked()
    expect(checkbox(page, "back")).to_be_checked()


def test_diagram_keeps_its_choices_after_going_back(site: str, screen: Screen) -> None:
    page = screen.page
    open_knee_step(page, site)
    region(page, "front").tap()
    region(page, "whole").tap()
    answer_step(page, KNEE, valid_answers(), skip=("pain_location",))
    press(page, "Continue")
    expect(page.get_by_role("heading", level=1, name=ACTIVITY.title.en)).to_be_visible()

    press(page, "Back")

    expect(region(page, "front")).to_have_attribute("aria-checked", "true")
    expect(region(page, "whole")).to_have_attribute("aria-checked", "true")
    expect(region(page, "back")).to_have_attribute("aria-checked", "false")
    screen.shot("back-again")


def test_without_javascript_the_checkbox_list_stands_alone(
    site: str, open_screen: Callable[..., Screen]
) -> None:
    screen = open_screen(java_script_enabled=False)
    page = screen.page
    open_knee_step(page, site, javascript=False)

    expect(page.locator("[data-knee-diagram]")).to_be_hidden()
    for option in PAIN_LOCATION.options:
        expect(page.get_by_role("checkbox", name=option.text.en, exact=True)).to_be_visible()
    screen.shot("no-javascript")
