"""Two-factor sign-in in a real Chromium, with the site's Content-Security-Policy.

Self-contained on purpose: importing the browser tests' conftest would set
DJANGO_ALLOW_ASYNC_UNSAFE for the whole process. So every database row is made before
Playwright starts its event loop, and nothing touches the database while it runs.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from staff import roles
from tests.e2e.support import E2E
from tests.factories import UserFactory

pytestmark = [*E2E, pytest.mark.timeout(120)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Patellar tendon 42 long run"


@override_settings(STAFF_2FA_REQUIRED=True)
def test_a_new_therapist_signs_in_sets_up_the_app_and_reaches_the_admin(live_server: Any) -> None:
    therapist = UserFactory(username="new.therapist")
    therapist.set_password(PASSWORD)
    therapist.save()
    therapist.groups.add(Group.objects.get_or_create(name=roles.THERAPIST)[0])
    # The set-up page shows the pending device's key; making it now keeps the DB out of the loop.
    device = TOTPDevice.objects.create(user=therapist, name="Authenticator app", confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    csp_errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda message: csp_errors.append(message.text))
        page.goto(f"{live_server.url}/admin/")
        page.get_by_label("Username").fill("new.therapist")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        page.wait_for_url(re.compile(r"/admin/sign-in/set-up/"))
        qr = page.get_by_role("img", name="QR code for setting up your authenticator app")
        qr_shown = qr.evaluate("image => image.complete && image.naturalWidth > 0")
        page.get_by_label("6-digit code").fill(f"{totp.token():06d}")
        page.get_by_role("button", name="Confirm and sign in").click()
        page.wait_for_url(f"{live_server.url}/admin/")
        content = page.content()
        browser.close()

    assert qr_shown
    assert "Two-factor sign-in is set up" in content
    assert [text for text in csp_errors if "Content Security Policy" in text] == []
