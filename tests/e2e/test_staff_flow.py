"""The staff day in a real browser: a therapist opens the urgent queue, reviews an intake and
prints a referral; the front desk schedules a request. Desktop-sized, with the real CSP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conditions.categories import Category
from intake.models import AppointmentRequest, Referral, RequestStatus, Review
from staff import roles
from tests.e2e.support import E2E, Screen
from tests.factories import LocationFactory
from tests.intake.staff import routine_request, staff_user, therapist_at, urgent_request
from tests.scheduling.conftest import next_monday, open_site, works

pytestmark = E2E

PASSWORD = "a long demo password 42"


@pytest.fixture
def desk(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Screen]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    yield Screen(context.new_page(), request.node.name)
    context.close()


@pytest.fixture
def clinic(site: str) -> dict[str, object]:
    location = LocationFactory(name="Riverside")
    therapist = therapist_at(location)
    open_site(location)
    works(therapist, location)
    therapist.user.set_password(PASSWORD)
    therapist.user.save()
    front_desk = staff_user(roles.FRONT_DESK)
    front_desk.set_password(PASSWORD)
    front_desk.save()
    return {
        "site": site,
        "therapist": therapist,
        "front_desk": front_desk,
        "urgent": urgent_request(location=location),
        "routine": routine_request(location, last_name="Booker"),
    }


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.get_by_text("Today at the clinic")).to_be_visible()


def test_therapist_reviews_an_urgent_intake_and_prints_a_referral(
    desk: Screen, clinic: dict[str, object]
) -> None:
    page, site = desk.page, str(clinic["site"])
    urgent: AppointmentRequest = clinic["urgent"]  # type: ignore[assignment]
    sign_in(page, site, clinic["therapist"].user.username)  # type: ignore[attr-defined]
    page.get_by_text("urgent intakes waiting for review").click()
    page.get_by_role("link", name=urgent.reference).click()
    expect(page.get_by_role("heading", name="Red flags")).to_be_visible()
    desk.shot("intake")

    page.get_by_role("link", name="Record a review").first.click()
    page.get_by_label("I agree with the pre-screen").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Your review is recorded.")).to_be_visible()

    page.get_by_role("link", name="Write a referral").first.click()
    page.get_by_label("Physician").check()
    page.get_by_label("Reason for referral").fill("Locked knee: please assess before therapy.")
    page.get_by_role("button", name="Save and print the letter").click()
    expect(page.get_by_role("heading", name="Referral: Dana Quill")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by print.js
    desk.shot("letter")

    assert Review.objects.get().intake_id == urgent.intake_id
    assert Referral.objects.get().destination == "physician"
    assert desk.csp_violations == []


def test_therapist_records_a_disagreement_beside_the_answers_and_lands_on_the_next(
    desk: Screen, clinic: dict[str, object]
) -> None:
    """Dashboard, queue tile, first intake, the review beside the answers, "Save and next":
    three clicks plus the category and the note."""
    page, site = desk.page, str(clinic["site"])
    urgent: AppointmentRequest = clinic["urgent"]  # type: ignore[assignment]
    routine: AppointmentRequest = clinic["routine"]  # type: ignore[assignment]
    sign_in(page, site, clinic["therapist"].user.username)  # type: ignore[attr-defined]
    clicks = 0
    page.get_by_role("link", name="intakes waiting for review").click()  # the queue
    clicks += 1
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    page.get_by_role("link", name=urgent.reference).click()  # the first intake
    clicks += 1
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    # The form is in view beside the answers, without scrolling down to it.
    panel = page.locator(".review-panel").bounding_box()
    answers = page.locator(".intake-main").bounding_box()
    assert panel is not None
    assert answers is not None
    assert panel["x"] >= answers["x"] + answers["width"] - 1
    assert panel["y"] < 900
    other = next(c for c in Category if c != urgent.intake.top_category).label
    page.get_by_label("Category you think fits").select_option(label=other)
    page.get_by_label("Note").fill("Locking after a twist, but the pain is at the kneecap.")
    page.get_by_role("button", name="Save and next").click()
    clicks += 1
    expect(page.get_by_text("Your review is recorded.")).to_be_visible()
    expect(page.get_by_text(f"reference {routine.reference}")).to_be_visible()
    desk.shot("next-intake")

    review = Review.objects.get()
    assert (review.intake_id, review.agrees) == (urgent.intake_id, False)
    assert clicks <= 3
    print(f"\nclicks from the dashboard to a recorded review and the next intake: {clicks}")
    assert desk.csp_violations == []


def test_front_desk_schedules_a_request_from_the_board(
    desk: Screen, clinic: dict[str, object]
) -> None:
    page, site = desk.page, str(clinic["site"])
    routine: AppointmentRequest = clinic["routine"]  # type: ignore[assignment]
    sign_in(page, site, clinic["front_desk"].username)  # type: ignore[attr-defined]
    page.get_by_role("link", name="new appointment requests").click()
    page.get_by_role("row", name=routine.reference).get_by_role("checkbox").check()
    page.select_option("select[name=action]", "schedule")
    page.get_by_role("button", name="Run").click()

    # The calendar of the request's site: each free time is a button, reached by keyboard.
    day = next_monday()
    page.goto(page.url.split("?")[0] + f"?day={day.isoformat()}")
    therapist = clinic["therapist"]
    slot = page.get_by_role("button", name=f"Book 9:30 with {therapist}").first
    slot.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("the patient will be told")).to_be_visible()
    desk.shot("board")

    routine.refresh_from_db()
    assert routine.status == RequestStatus.SCHEDULED
    assert timezone.localtime(routine.scheduled_at).date() == day
    # The board links the request to its appointment on the calendar.
    page.goto(f"{site}/admin/intake/appointmentrequest/?status=scheduled")
    expect(page.get_by_role("link", name=f"with {therapist}")).to_be_visible()
    assert desk.csp_violations == []
