"""Spanish alongside English: the language comes from the browser or the switcher (kept for
the browser session), every patient page and message reads in it with no English left, the
patient's language is stored as a code and writes every later message, and staff pages stay
in English."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from clinic.errors import csrf_failure, permission_denied, server_error
from intake.announcements import notifications_for_status_change
from intake.models import AppointmentRequest, Patient, RequestStatus
from intake.services.requests import request_cancel_by_patient
from intake.status_links import status_token
from interop.mapping.people import patient_resource
from notifications.delivery import render_email, render_sms
from notifications.models import Notification, NotificationChannel
from scheduling.announcements import AppointmentMessage, notifications_for_appointment
from scheduling.models import Appointment
from scheduling.selectors import patient_slots
from scheduling.services import appointments_remind
from staff import roles
from tests.factories import LocationFactory, patient_details, submit_intake, valid_answers
from tests.intake.site_client import (
    check_values,
    complete_intake,
    fill_to_check,
    form_values,
    post_step,
    step_url,
)
from tests.intake.staff import client_for, staff_user, therapist_at
from tests.scheduling.conftest import open_site, works

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}
# Words a Spanish page never holds, as whole words (case-insensitive).
ENGLISH = re.compile(
    r"\b(the|your|you|and|please|with|we|will|our|appointment|knee|if|for|this|when|what|of"
    r"|to|is|are|call|here|see|request|cancel|back|continue|send|yes)\b",
    re.IGNORECASE,
)


def visible_text(html: str) -> str:
    """What a reader sees and hears: text, titles, labels and alternative names."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    said = re.findall(r'(?i)\b(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    text = re.sub(r"(?s)<!--.*?-->", " ", html)
    text = re.sub(r"(?s)<[^>]+>", " ", text)
    return " ".join(unescape(" ".join([text, *said])).split())


def english_left(text: str, *, besides: tuple[str, ...] = ()) -> list[str]:
    """The English words left in `text` once links and what the patient or the clinic typed
    (`besides`) are taken out."""
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    for typed in sorted(besides, key=len, reverse=True):
        if typed:
            text = text.replace(typed, " ")
    return sorted({match.group(0) for match in ENGLISH.finditer(text)})


def request_page(request: AppointmentRequest) -> str:
    return reverse("admin:intake_appointmentrequest_change", args=[request.pk])


@pytest.fixture
def site() -> Any:
    location = LocationFactory(name="Riverside", address="12 Calle Mayor, Springfield")
    open_site(location)
    return location


@pytest.fixture
def therapist(site: Any) -> Any:
    therapist = therapist_at(site, user__first_name="Teresa", user__last_name="Gómez")
    works(therapist, site)
    return therapist


def clinic_values(site: Any, therapist: Any = None) -> tuple[str, ...]:
    """Names the clinic or the patient typed, which no translation changes."""
    names = (
        settings.CLINIC_NAME,
        site.name,
        site.address,
        "Alex",
        "Runner",
        "Runner0",
        str(therapist) if therapist is not None else "",
    )
    return tuple(name for name in names if name)


def spanish_patient(site: Any, **changes: Any) -> AppointmentRequest:
    return submit_intake(
        location=site,
        patient=patient_details(preferred_language="es", **changes),
    )


# -- Choosing the language ----------------------------------------------------------------


def test_english_is_the_language_when_the_browser_asks_for_nothing_else() -> None:
    html = Client().get(reverse("intake:home")).content.decode()
    assert '<html lang="en-us">' in html
    assert "Start your intake" in html
    # The switcher offers Spanish in its own words.
    assert 'name="language" value="es" lang="es"' in html
    assert "Español" in html


def test_the_browser_asking_for_spanish_gets_spanish() -> None:
    response = Client().get(reverse("intake:home"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Empezar sus preguntas" in html
    assert response["Content-Language"] == "es"


def test_the_switcher_keeps_the_choice_for_the_browser_session() -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "es", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    # A cookie for the browser session: gone when the browser closes.
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert not cookie["max-age"]
    for page in (reverse("intake:home"), reverse("intake:privacy"), reverse("intake:start")):
        # Even with a browser that asks for English.
        html = client.get(page, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="es">' in html, page
    client.post(reverse("set_language"), {"language": "en-us", "next": "/"})
    assert '<html lang="en-us">' in client.get("/").content.decode()


def test_staff_pages_stay_in_english_whatever_the_browser_asks(site: Any) -> None:
    sign_in = Client().get(reverse("admin:login"), **SPANISH).content.decode()
    assert 'lang="en-us"' in sign_in
    assert "Log in" in sign_in
    assert "Iniciar" not in sign_in
    request = spanish_patient(site)
    desk = client_for(roles.FRONT_DESK)
    board = desk.get(reverse("admin:intake_appointmentrequest_changelist"), **SPANISH)
    assert 'lang="en-us"' in board.content.decode()
    page = desk.get(request_page(request), **SPANISH).content.decode()
    assert 'lang="en-us"' in page
    assert "Prefers e-mail, Spanish" in page
    assert "Recibida" not in page


# -- The patient's language, stored ---------------------------------------------------------


def test_the_language_the_patient_used_is_stored_as_a_code(site: Any) -> None:
    client = Client(**SPANISH)
    response = complete_intake(client, site.pk)
    assert response.status_code == 302
    assert Patient.objects.get().preferred_language == "es"
    english = Client()
    complete_intake(english, site.pk, email="other@example.com")
    assert Patient.objects.get(email="other@example.com").preferred_language == "en-us"


def test_a_spanish_texter_gets_the_acknowledgement_in_spanish_and_the_desk_sees_it(
    site: Any,
) -> None:
    client = Client(**SPANISH)
    complete_intake(client, site.pk, preferred_contact="sms", sms_consent="on")
    request = AppointmentRequest.objects.get()
    text = Notification.objects.get(kind="patient_ack", channel=NotificationChannel.SMS)
    body = render_sms(text)
    assert "recibimos su solicitud" in body
    assert "Responda STOP" in body
    assert english_left(body, besides=clinic_values(site)) == []
    assert text.subject == f"Recibimos su solicitud ({request.reference})"
    board = client_for(roles.FRONT_DESK).get(reverse("admin:intake_appointmentrequest_changelist"))
    assert "Text message, Spanish" in board.content.decode()
    page = client_for(roles.FRONT_DESK).get(request_page(request)).content.decode()
    assert "Prefers text message, Spanish (agreed to texts)" in page


def test_the_stored_language_writes_a_reminder_days_later(site: Any, therapist: Any) -> None:
    request = spanish_patient(site)
    english = submit_intake(location=site, patient=patient_details(email="en@example.com"))
    for booked in (request, english):
        slot = patient_slots(appointment_request=booked)[0]
        response = Client().post(
            reverse("scheduling:book", args=[status_token(booked)]),
            {"starts_at": slot.starts_at.isoformat()},
        )
        assert response.status_code == 302
    # Beat, in no language of the patient's: the worker's default is English.
    assert translation.get_language() == "en-us"
    # Each its own run: the two visits may be days apart, whatever the time of day now.
    for appointment in Appointment.objects.all():
        before = timedelta(hours=settings.SCHEDULING_REMINDER_HOURS - 1)
        appointments_remind(now=appointment.starts_at - before)
    reminders = {
        notification.recipient: render_email(notification)
        for notification in Notification.objects.filter(kind=AppointmentMessage.REMINDER)
    }
    assert set(reminders) == {"alex.runner@example.com", "en@example.com"}
    spanish, plain = reminders["alex.runner@example.com"], reminders["en@example.com"]
    assert spanish.subject.startswith("Recordatorio: su cita")
    assert "Le recordamos su cita." in spanish.text
    assert english_left(spanish.text, besides=clinic_values(site, therapist)) == []
    assert plain.subject.startswith("Reminder: your appointment")
    assert "A reminder of your appointment." in plain.text


def test_fhir_gives_the_patients_language_as_a_bcp47_code(site: Any) -> None:
    request = spanish_patient(site)
    resource = patient_resource(request.patient)
    language = resource["communication"][0]["language"]
    assert language["coding"] == [{"system": "urn:ietf:bcp:47", "code": "es", "display": "Spanish"}]


# -- Every patient page in Spanish ---------------------------------------------------------


def spanish_pages(site: Any, therapist: Any) -> dict[str, str]:
    """Every patient page, as a Spanish-speaking browser gets it: name -> HTML."""
    client = Client(**SPANISH)
    pages: dict[str, str] = {}

    def get(name: str, url: str, status: int = 200) -> None:
        response = client.get(url, follow=True)
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.content.decode()

    get("home", reverse("intake:home"))
    get("privacy", reverse("intake:privacy"))
    get("safety", reverse("intake:start"))
    errors = post_step(client, "safety", {})
    pages["safety-errors"] = errors.content.decode()
    fill_to_check(client, site.pk)
    get("about", step_url("about"))
    about_errors = post_step(client, "about", {"first_name": "", "phone": "12"})
    pages["about-errors"] = about_errors.content.decode()
    get("check", step_url("check"))
    response = post_step(
        client,
        "check",
        {
            "submission_token": client.session["wizard_intake_wizard"]["extra_data"][
                "submission_token"
            ],
            "website": "",
        },
    )
    pages["check-errors"] = response.content.decode()
    complete_intake(Client(**SPANISH), site.pk)  # another browser's request
    fill_to_check(client, site.pk)
    post_step(client, "check", check_values(client))
    get("confirmation", reverse("intake:confirmation"))
    request = AppointmentRequest.objects.order_by("-pk").first()
    assert request is not None
    token = status_token(request)
    get("status", reverse("intake:status", args=[token]))
    get("status-cancel", reverse("intake:status_cancel", args=[token]))
    get("booking", reverse("scheduling:book", args=[token]))
    slot = patient_slots(appointment_request=request)[0]
    booked = client.post(
        reverse("scheduling:book", args=[token]),
        {"starts_at": slot.starts_at.isoformat()},
        follow=True,
    )
    pages["booked-status"] = booked.content.decode()
    get("booking-move", reverse("scheduling:book", args=[token]))
    get("booking-cancel", reverse("scheduling:cancel", args=[token]))
    get("copy-start", reverse("patient_copy:start", args=[token]))
    client.post(reverse("patient_copy:start", args=[token]))
    get("copy-code", reverse("patient_copy:code", args=[token]))
    code = Notification.objects.filter(kind="patient_copy_code").latest("pk").context["code"]
    client.post(reverse("patient_copy:code", args=[token]), {"code": code})
    get("copy-record", reverse("patient_copy:record", args=[token]))
    cancelled = client.post(reverse("scheduling:cancel", args=[token]), follow=True)
    pages["cancelled-status"] = cancelled.content.decode()
    get("status-invalid", reverse("intake:status", args=["not-a-token"]), status=404)
    get("not-found", "/no-such-page/", status=404)
    # Emergency advice: a yes to the numb, cold foot.
    fresh = Client(**SPANISH)
    fresh.get(reverse("intake:start"))
    advice = post_step(
        fresh, "safety", form_values(valid_answers(rf_numb_cold_foot=True), "safety")
    )
    pages["emergency-advice"] = fresh.get(advice.url).content.decode()
    urgent = Client(**SPANISH)
    urgent.get(reverse("intake:start"))
    advice = post_step(urgent, "safety", form_values(valid_answers(rf_locked=True), "safety"))
    pages["urgent-advice"] = urgent.get(advice.url).content.decode()
    # Error pages, rendered as Django renders them for a Spanish browser.
    factory = RequestFactory(**SPANISH)
    with translation.override("es"):
        pages["400"] = render(factory.get("/"), "400.html", status=400).content.decode()
        pages["403"] = permission_denied(factory.get("/")).content.decode()
        pages["403-csrf"] = csrf_failure(factory.post("/")).content.decode()
        pages["429"] = render(factory.get("/"), "429.html", status=429).content.decode()
        pages["500"] = server_error(factory.get("/")).content.decode()
    return pages


def test_every_patient_page_in_spanish_declares_it_and_has_no_english_left(
    site: Any, therapist: Any
) -> None:
    pages = spanish_pages(site, therapist)

    assert len(pages) >= 28
    besides = clinic_values(site, therapist)
    left = {}
    for name, html in pages.items():
        assert '<html lang="es">' in html, name
        words = english_left(visible_text(html), besides=besides)
        if words:
            left[name] = words
    assert left == {}, "\n".join(
        f"{name}: {words}\n  {visible_text(pages[name])[:3000]}" for name, words in left.items()
    )


# -- Every patient message in Spanish ------------------------------------------------------


def test_every_patient_message_in_spanish_has_no_english_left(site: Any, therapist: Any) -> None:
    texting = {"preferred_contact": "sms", "sms_consent": True}
    for answers in (
        valid_answers(),
        valid_answers(rf_locked=True),
        valid_answers(rf_calf_swelling=True),
    ):
        request = submit_intake(
            location=site,
            answers=answers,
            patient=patient_details(preferred_language="es", **texting),
        )
        request.status = RequestStatus.SCHEDULED
        request.scheduled_at = timezone.now() + timedelta(days=30)
        request.scheduled_therapist = therapist
        request.save()
        notifications_for_status_change(appointment_request=request)
        request_cancel_by_patient(appointment_request=request)
    booked = spanish_patient(site, email="booker@example.com")
    slot = patient_slots(appointment_request=booked)[0]
    Client().post(
        reverse("scheduling:book", args=[status_token(booked)]),
        {"starts_at": slot.starts_at.isoformat()},
    )
    appointment = Appointment.objects.get(request=booked)
    for kind in (AppointmentMessage.MOVED, AppointmentMessage.REMINDER):
        notifications_for_appointment(appointment=appointment, kind=kind, now=timezone.now())
    Client(**SPANISH).post(reverse("patient_copy:start", args=[status_token(booked)]))

    patient_messages = Notification.objects.exclude(
        kind__in=["new_request_staff", "urgent_alert", "alert_escalation"]
    )
    kinds = set(patient_messages.values_list("kind", "channel"))
    assert {
        ("patient_ack", "sms"),
        ("patient_ack", "email"),
        ("patient_scheduled", "sms"),
        ("patient_cancelled", "sms"),
        ("appointment_booked", "email"),
        ("appointment_moved", "email"),
        ("appointment_reminder", "email"),
        ("patient_copy_code", "email"),
    } <= kinds, kinds
    besides = clinic_values(site, therapist)
    left = {}
    for notification in patient_messages:
        assert notification.language == "es", notification.kind
        if notification.channel == NotificationChannel.SMS:
            rendered = {"sms": render_sms(notification)}
        else:
            email = render_email(notification)
            assert 'lang="es"' in email.html
            rendered = {
                "subject": email.subject,
                "text": email.text,
                "html": visible_text(email.html),
            }
            for attachment in email.attachments:
                # What a calendar shows of the invite: its title and description.
                unfolded = attachment[1].replace("\r\n ", "")
                shown = re.findall(r"(?m)^(?:SUMMARY|DESCRIPTION):(.*)$", unfolded)
                rendered["invite"] = " ".join(shown).replace("\\", "")
        for part, text in rendered.items():
            if words := english_left(text, besides=besides):
                left[f"{notification.kind}/{notification.channel}/{part}"] = (words, text)
    assert left == {}, "\n".join(f"{key}: {value}" for key, value in left.items())


def test_staff_messages_about_a_spanish_patient_stay_in_english(site: Any) -> None:
    staff_user(roles.FRONT_DESK, email="desk@example.com")
    with translation.override("es"):  # recorded while the patient's request is in Spanish
        spanish_patient(site)
    desk = Notification.objects.get(kind="new_request_staff")
    assert desk.language == ""
    email = render_email(desk)
    assert email.subject.startswith("New appointment request")
    assert "Please do not forward this message." in email.text


def test_inline_advice_follows_the_language() -> None:
    Client().get(reverse("intake:start"))  # an English patient first
    english = Client().get(reverse("intake:start"), follow=True).content.decode()
    spanish = Client(**SPANISH).get(reverse("intake:start"), follow=True).content.decode()
    assert "Please see a doctor in the next day or two" in english
    assert "Por favor, vea a un médico en uno o dos días" in spanish
