"""The home page on a phone: who the clinic is, the seven reasons, and the way in."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from conditions.models import ConditionCategory
from intake.questionnaire import SAFETY
from tests.e2e.support import E2E, Screen

pytestmark = E2E


def test_home_explains_the_seven_reasons_knees_hurt(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:home"))
    screen.shot("home")

    reasons = page.locator(".reason-card")
    categories = list(ConditionCategory.objects.all())
    assert len(categories) == 7
    expect(reasons).to_have_count(7)
    for reason, category in zip(reasons.all(), categories, strict=True):
        expect(reason.locator("summary")).to_have_text(category.name)

    # Each reason opens to the patient summary from the taxonomy.
    reasons.first.locator("summary").tap()
    expect(reasons.first.get_by_text(categories[0].patient_summary)).to_be_visible()
    screen.shot("home-reason-open")


def test_home_leads_to_the_intake(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:home"))

    page.get_by_role("link", name="Start your intake").first.tap()

    # The intake starts at its first step, the safety check.
    expect(page).to_have_url(site + reverse("intake:step", kwargs={"step": SAFETY.code}))


def test_home_gives_the_clinic_phone_and_emergency_advice(site: str, screen: Screen) -> None:
    page = screen.page
    page.goto(site + reverse("intake:home"))

    emergency = page.get_by_role("complementary", name="Is it an emergency?")
    expect(emergency).to_contain_text(f"Call {settings.EMERGENCY_NUMBER}")
    expect(page.get_by_role("main").get_by_role("link", name=settings.CLINIC_PHONE)).to_be_visible()
