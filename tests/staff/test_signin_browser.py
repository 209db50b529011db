"""Two-factor sign-in in a real Chromium, with the site's Content-Security-Policy.

Self-contained on purpose: importing the browser tests' conftest would set
DJANGO_ALLOW_ASYNC_UNSAFE for the whole process. So every database row is made before
Playwright starts its event loop, and nothing touches the database while it runs.
"""

from __future__ import annotations

import re
import shutil
from base64 import b32decode
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

from staff import roles
from staff.services.enrolment import enrolment_link_issue, enrolment_link_path
from tests.e2e.support import E2E
from tests.factories import UserFactory

pytestmark = [*E2E, pytest.mark.timeout(120)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Patellar tendon 42 long run"


@override_settings(STAFF_2FA_REQUIRED=True)
def test_a_new_therapist_follows_the_set_up_link_signs_in_sets_up_the_app_and_reaches_the_admin(
    live_server: Any,
) -> None:
    therapist = UserFactory(username="new.therapist")
    therapist.set_password(PASSWORD)
    therapist.save()
    therapist.groups.add(Group.objects.get_or_create(name=roles.THERAPIST)[0])
    # What a clinic manager hands over; made now keeps the DB out of Playwright's loop.
    _link, token = enrolment_link_issue(user=therapist, issued_by=None)
    csp_errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda message: csp_errors.append(message.text))
        page.goto(f"{live_server.url}{enrolment_link_path(token)}")
        page.get_by_label("Username").fill("new.therapist")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        page.wait_for_url(re.compile(r"/admin/sign-in/set-up/$"))
        qr = page.get_by_role("img", name="QR code for setting up your authenticator app")
        qr_shown = qr.evaluate("image => image.complete && image.naturalWidth > 0")
        # What someone who cannot scan types into their app: the key the page shows.
        key = page.locator("strong code").inner_text().replace(" ", "")
        page.get_by_label("6-digit code").fill(f"{TOTP(b32decode(key)).token():06d}")
        page.get_by_role("button", name="Confirm and sign in").click()
        page.wait_for_url(f"{live_server.url}/admin/")
        content = page.content()
        browser.close()

    assert qr_shown
    assert "Two-factor sign-in is set up" in content
    assert [text for text in csp_errors if "Content Security Policy" in text] == []


@override_settings(STAFF_2FA_REQUIRED=True)
def test_a_new_therapist_without_a_link_is_told_to_ask_a_manager(live_server: Any) -> None:
    therapist = UserFactory(username="linkless.therapist")
    therapist.set_password(PASSWORD)
    therapist.save()
    therapist.groups.add(Group.objects.get_or_create(name=roles.THERAPIST)[0])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/intake/intake/")
        page.get_by_label("Username").fill("linkless.therapist")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/admin/sign-in/set-up/"))
        heading = page.get_by_role("heading", level=1).inner_text()
        images = page.get_by_role("img", name="QR code for setting up your authenticator app")
        qr_count = images.count()
        page.goto(f"{live_server.url}/admin/intake/intake/")
        still_refused = page.get_by_role("heading", level=1).inner_text()
        browser.close()

    assert heading == "Ask a clinic manager for a set-up link"
    assert qr_count == 0
    assert still_refused == heading
