"""The front desk records a call from the request page's contact panel, at desktop size."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Browser

from intake.models import CallTask, ContactAttempt
from staff import roles
from tests.e2e.support import E2E
from tests.e2e.test_staff_layout import PASSWORD, desktop, sign_in
from tests.intake.staff import routine_request, staff_user

pytestmark = E2E

SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
)


def test_the_front_desk_records_a_call_from_the_request_page(browser: Browser, site: str) -> None:
    request = routine_request(preferred_contact="phone")
    user = staff_user(roles.FRONT_DESK, first_name="Fran", last_name="Okafor")
    user.set_password(PASSWORD)
    user.save()

    for page in desktop(browser, 1280):
        sign_in(page, site, user.username)
        page.goto(site + reverse("admin:intake_appointmentrequest_change", args=[request.pk]))
        panel = page.locator(".contact-log")
        assert "Call the patient: Tell them we received their request" in panel.inner_text()
        assert not page.evaluate(SCROLLS_SIDEWAYS)

        panel.get_by_label("Outcome").select_option("reached")
        panel.get_by_label("Note").fill("Prefers mornings")
        panel.get_by_role("button", name="Record the attempt").click()

        page.get_by_text("Recorded for").wait_for()
        log = page.locator(".contact-attempts").inner_text()
        assert "Fran Okafor: phone call, reached the patient. “Prefers mornings”" in log
        assert (
            "Done: Tell them we received their request" in page.locator(".calls-owed").inner_text()
        )
    assert ContactAttempt.objects.get().note == "Prefers mornings"
    assert CallTask.objects.get().done_at is not None
