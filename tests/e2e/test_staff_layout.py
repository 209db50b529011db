"""The staff pages on a desktop screen: every list fits 1280 px without cutting a column,
and the dashboard's figures table is not squashed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from intake.models import ReferralDestination
from intake.services.referrals import referral_create
from intake.services.reviews import review_record
from staff import roles
from tests.e2e.support import E2E
from tests.factories import LocationFactory
from tests.intake.staff import routine_request, staff_user, therapist_at, urgent_request

pytestmark = E2E

PASSWORD = "a long demo password 42"

# Each staff list a manager can open (the widest set of columns), with rows in it.
LISTS = (
    "intake_intake",
    "intake_appointmentrequest",
    "intake_patient",
    "intake_review",
    "intake_referral",
    "intake_redflagalert",
    "intake_location",
    "intake_therapist",
    "auth_user",
    "notifications_notification",
)

# Whether any header cell of the list reaches past the visible part of its box, or the page
# itself scrolls sideways: either hides a column.
CLIPPED_COLUMNS = """() => {
  const table = document.querySelector('#result_list');
  if (!table) return ['no list'];
  const box = table.closest('.results') || table.parentElement;
  const right = Math.min(box.getBoundingClientRect().right, document.documentElement.clientWidth);
  const clipped = [...table.querySelectorAll('thead th')]
    .filter(th => th.getBoundingClientRect().right > right + 1)
    .map(th => th.innerText.trim() || th.className);
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)
    clipped.push('page scrolls sideways');
  return clipped;
}"""


def desktop(browser: Browser, width: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def manager(site: str) -> str:
    location = LocationFactory(name="Riverside")
    therapist = therapist_at(location)
    urgent = urgent_request(location=location)
    routine_request(location, last_name="Booker-Longname-Hyphenated")
    review_record(
        intake=urgent.intake,
        reviewer=therapist.user,
        agrees=False,
        category="patellofemoral",
        note="Locking after a twist reads as a meniscal tear.",
    )
    referral_create(
        intake=urgent.intake,
        destination=ReferralDestination.ORTHOPAEDIC_SURGEON,
        reason="Locked knee.",
        created_by=therapist.user,
    )
    user = staff_user(roles.CLINIC_MANAGER)
    user.set_password(PASSWORD)
    user.save()
    return str(user.username)


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_text("Today at the clinic").wait_for()


@pytest.mark.parametrize("width", [1280, 1440])
def test_every_staff_list_shows_all_its_columns(
    browser: Browser, site: str, manager: str, width: int
) -> None:
    for page in desktop(browser, width):
        sign_in(page, site, manager)
        clipped = {}
        for prefix in LISTS:
            page.goto(site + reverse(f"admin:{prefix}_changelist") + "?")
            found = page.evaluate(CLIPPED_COLUMNS)
            if found:
                clipped[prefix] = found
        assert clipped == {}


def test_the_dashboard_figures_table_is_not_squashed(
    browser: Browser, site: str, manager: str
) -> None:
    for page in desktop(browser, 1440):
        sign_in(page, site, manager)
        page.get_by_text("Figures", exact=True).click()
        table = page.locator(".chart-table")
        box = table.bounding_box()
        assert box is not None
        assert box["width"] >= 600
        # "Week of" on one line (it was broken into "WE EK OF").
        lines = page.evaluate(
            """() => {
              const th = document.querySelector('.chart-table thead th');
              const range = document.createRange();
              range.selectNodeContents(th);
              return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            }"""
        )
        assert lines == 1
