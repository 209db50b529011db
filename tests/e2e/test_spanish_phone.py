"""Issue 13's Spanish, done: a Spanish-speaking patient who prefers texts picks Español on a
phone, completes the whole intake in Spanish, gets the acknowledgement by text in Spanish, and
the front desk sees "Text message, Spanish"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from intake.models import AppointmentRequest, ContactMethod
from notifications.delivery import render_sms
from notifications.models import Notification, NotificationChannel
from staff import roles
from tests.e2e.patient import complete_intake
from tests.e2e.support import E2E, Screen
from tests.factories import valid_answers
from tests.intake.staff import client_for

pytestmark = E2E

LOCATION = "Riverside"


def test_a_spanish_texter_completes_the_intake_on_a_phone_in_spanish(
    site: str, screen: Screen
) -> None:
    page = screen.page
    page.goto(site + reverse("intake:home"))  # a browser that asks for English
    expect(page.locator("html")).to_have_attribute("lang", "en-us")
    page.get_by_role("button", name="Español").tap()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screen.shot("home-es")

    with translation.override("es"):
        page.get_by_role("link", name=gettext("Start your intake")).first.tap()
        reference = complete_intake(
            page,
            valid_answers(pain_location=["below_kneecap"]),
            location=LOCATION,
            contact=ContactMethod.SMS,
            on_page=screen.shot,
        )
        # Every page on the way kept the choice, the confirmation included.
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            gettext("Thank you. We have your request.")
        )

    request = AppointmentRequest.objects.select_related("patient").get(reference=reference)
    assert request.patient.preferred_language == "es"
    text = Notification.objects.get(
        topic=reference, kind="patient_ack", channel=NotificationChannel.SMS
    )
    body = render_sms(text)
    assert f"recibimos su solicitud {reference}" in body
    assert "Responda STOP" in body
    board = client_for(roles.FRONT_DESK).get(reverse("admin:intake_appointmentrequest_changelist"))
    assert "Text message, Spanish" in board.content.decode()
