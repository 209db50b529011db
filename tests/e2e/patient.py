"""A patient going through the intake in the browser, answering from an answer set.

The questions are found by their wording in the questionnaire declaration, so the driver
follows the declaration (and its enable conditions) rather than a copy of it. Buttons follow
the site's contract: "Continue", "Back", "Send my request", and "Still send my details" on the
emergency advice page; an advice page after a step whose answers raise a red flag is
`/intake/<step>-advice/`; the reference code is in `#reference`.

Every wording is read in the active language (`translation.override("es")` around a patient
whose browser asks for Spanish): the site's own words through gettext, the declaration's as
it gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect

from conditions.categories import Triage
from conditions.prescreen import triage_of
from intake.models import ContactMethod, Payment, ReferralSource, TimeOfDay
from intake.questionnaire import ACTIVITY, KNEE, KNEE_V1, SAFETY, Item, ItemType, Step
from intake.site.fields import NO, YES, YES_NO
from intake.site.forms import CheckForm
from intake.site.steps import safety_red_flags

PAIN_LOCATION = "pain_location"

# Called on each page the patient sees, with a short name for it (screenshots, axe checks).
OnPage = Callable[[str], None]


def _nothing(name: str) -> None:
    pass


def question(page: Page, item: Item) -> Locator:
    """The group (fieldset) of a question with choices, found by its wording."""
    return page.get_by_role("group", name=str(item.text))


def yes_no(value: bool) -> str:
    """The wording of a yes or a no, as the form declares it."""
    return str(dict(YES_NO)[YES if value else NO])


def answer(page: Page, item: Item, value: Any) -> None:
    """Give one answer the way a patient would: tick, choose or type."""
    match item.type:
        case ItemType.BOOLEAN:
            question(page, item).get_by_label(yes_no(value), exact=True).check()
        case ItemType.CHOICE:
            question(page, item).get_by_label(str(item.option_text(value)), exact=True).check()
        case ItemType.MULTI:
            group = question(page, item)
            for code in value:
                group.get_by_label(str(item.option_text(code)), exact=True).check()
        case ItemType.INTEGER if question(page, item).get_by_role("radio").count():
            # A short scale (0 to 10) is a row of radios; longer ranges are a number box.
            question(page, item).get_by_label(str(value), exact=True).check()
        case _:
            page.get_by_label(str(item.text)).fill(str(value))


def answer_step(
    page: Page,
    step: Step,
    answers: Mapping[str, Any],
    *,
    skip: tuple[str, ...] = (),
) -> None:
    """Answer every question of `step` that is shown, given the answers so far."""
    for item in KNEE_V1.items_in(step):
        if item.link_id in skip or item.link_id not in answers:
            continue
        if item.is_enabled(answers):
            answer(page, item, answers[item.link_id])


def pick_on_knee_diagram(
    page: Page, codes: list[str], *, by_keyboard: tuple[str, ...] = ()
) -> None:
    """Choose pain locations on the knee diagram: tap most, use the keyboard for some."""
    diagram = page.locator("[data-knee-diagram]")
    expect(diagram).to_be_visible()
    for code in codes:
        region = diagram.locator(f'[data-code="{code}"]')
        if code in by_keyboard:
            region.focus()
            page.keyboard.press("Space")
        else:
            region.tap()
        expect(region).to_have_attribute("aria-checked", "true")


def press(page: Page, name: str) -> None:
    """Press the button the site names `name` (in English: read in the active language)."""
    page.get_by_role("button", name=gettext(name), exact=True).click()


def labelled(page: Page, label: str) -> Locator:
    """The field whose label is `label` (read in the active language), required mark aside:
    "Nombre" is not "Nombre de la persona que le envió"."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(gettext(label))}\W*$"))


def fill_about(page: Page, *, location: str, contact: str = ContactMethod.EMAIL) -> None:
    """Step 4: a fake patient's details and appointment choices (`contact`: how to reach
    them; a text message comes with the consent to texts)."""
    labelled(page, "First name").fill("Alex")
    labelled(page, "Last name").fill("Runner")
    labelled(page, "Date of birth").fill("05/17/1990")
    labelled(page, "E-mail address").fill("alex.runner@example.com")
    labelled(page, "Phone number").fill("+1 555 010 0142")
    page.get_by_role("group", name=gettext("How should we contact you?")).get_by_label(
        str(ContactMethod(contact).label), exact=True
    ).check()
    if contact == ContactMethod.SMS:
        page.get_by_label(
            gettext("You may send text messages to this number about my request")
        ).check()
    page.get_by_role("group", name=gettext("Which clinic would you like to visit?")).get_by_label(
        location
    ).check()
    page.get_by_label(str(TimeOfDay.WEEKDAY_EVENING.label), exact=True).check()
    page.get_by_role("group", name=gettext("How did you hear about us?")).get_by_label(
        str(ReferralSource.SELF.label), exact=True
    ).check()
    page.get_by_role("group", name=gettext("How will you pay?")).get_by_label(
        str(Payment.SELF_PAY.label), exact=True
    ).check()


def go_on(page: Page, step: str, following: str, on_page: OnPage) -> bool:
    """Press Continue on `step`; if its answers raised a red flag, read the advice page that
    follows it and go on. True when there was one."""
    press(page, "Continue")
    page.wait_for_url(re.compile(rf"/intake/({following}|{step}-advice)/$"))
    if not page.url.endswith(f"/{step}-advice/"):
        return False
    expect(page.locator("#advice-heading")).to_be_visible()
    on_page(f"{step}-advice")
    emergency = page.get_by_role("button", name=gettext("Still send my details"), exact=True)
    if emergency.count():
        emergency.click()
    else:
        press(page, "Continue")
    page.wait_for_url(re.compile(rf"/intake/{following}/$"))
    return True


def consent_and_send(page: Page) -> None:
    """Step 5: agree to the privacy notice, acknowledge it is not a diagnosis, and send."""
    for consent in ("consent_privacy", "consent_not_diagnosis"):
        page.get_by_label(str(CheckForm.base_fields[consent].label)).check()
    press(page, "Send my request")


def complete_intake(
    page: Page,
    answers: Mapping[str, Any],
    *,
    location: str,
    on_page: OnPage = _nothing,
    diagram_keyboard: tuple[str, ...] = (),
    advice_seen: bool = False,
    contact: str = ContactMethod.EMAIL,
) -> str:
    """Go from the first step to the confirmation; return the reference code shown.

    The pain locations are chosen on the knee diagram (`diagram_keyboard` codes with Space,
    the others with a tap); `on_page` is called on each page once it is filled in. With
    `advice_seen`, the patient already went on from the safety advice for these answers, so
    it does not come again.
    """
    expect(page.get_by_role("heading", level=1, name=str(SAFETY.title))).to_be_visible()
    on_page("safety")
    answer_step(page, SAFETY, answers)
    on_page("safety-answered")
    press(page, "Continue")
    if (red_flags := safety_red_flags(answers)) and not advice_seen:
        # The safety advice comes first; an emergency patient may still send their details.
        expect(page.locator("#advice-heading")).to_be_visible()
        on_page("advice")
        emergency = triage_of(red_flags) == Triage.EMERGENCY
        press(page, "Still send my details" if emergency else "Continue")

    expect(page.get_by_role("heading", level=1, name=str(KNEE.title))).to_be_visible()
    on_page("knee")
    pick_on_knee_diagram(page, list(answers[PAIN_LOCATION]), by_keyboard=diagram_keyboard)
    answer_step(page, KNEE, answers, skip=(PAIN_LOCATION,))
    on_page("knee-answered")
    go_on(page, "knee", "activity", on_page)

    expect(page.get_by_role("heading", level=1, name=str(ACTIVITY.title))).to_be_visible()
    on_page("activity")
    answer_step(page, ACTIVITY, answers)
    on_page("activity-answered")
    go_on(page, "activity", "about", on_page)

    expect(labelled(page, "First name")).to_be_visible()
    on_page("about")
    fill_about(page, location=location, contact=contact)
    on_page("about-answered")
    go_on(page, "about", "check", on_page)

    expect(page.get_by_role("button", name=gettext("Send my request"))).to_be_visible()
    on_page("check")
    consent_and_send(page)

    reference = page.locator("#reference")
    expect(reference).to_be_visible()
    on_page("confirmation")
    return reference.inner_text().strip()
