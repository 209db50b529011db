"""Bad input and abuse on the patient website: nothing a user can send causes a server error,
a double submit saves one request, robots and floods save nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clinic.errors import server_error
from intake.models import AppointmentRequest, Document
from tests.factories import LocationFactory, valid_answers
from tests.intake.site_client import (
    WIZARD,
    about_values,
    check_values,
    complete_intake,
    fill_to_check,
    form_values,
    post_step,
    started,
    step_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]


@pytest.fixture
def location():
    return LocationFactory()


def test_the_rate_limit_uses_the_shared_redis_cache():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_the_same_final_post_twice_saves_one_request(client, location):
    fill_to_check(client, location.pk)
    final = check_values(client)
    first = post_step(client, "check", final)
    second = post_step(client, "check", final)
    assert first.url == second.url == reverse("intake:confirmation")
    assert AppointmentRequest.objects.count() == 1
    reference = AppointmentRequest.objects.get().reference
    assert reference in client.get(second.url).content.decode()


def test_a_final_post_replayed_from_another_browser_hands_out_nothing(client, location):
    fill_to_check(client, location.pk)
    final = check_values(client)
    post_step(client, "check", final)
    reference = AppointmentRequest.objects.get().reference
    other = Client()
    response = post_step(other, "check", final)
    assert response.status_code == 200  # "your session expired", not A's confirmation
    assert reference not in response.content.decode()
    confirmation = other.get(reverse("intake:confirmation"), follow=True).content.decode()
    assert reference not in confirmation
    assert "/status/" not in confirmation
    assert AppointmentRequest.objects.count() == 1


def test_a_replayed_token_in_a_browser_with_its_own_intake_sends_that_intake(client, location):
    fill_to_check(client, location.pk)
    replayed = check_values(client)["submission_token"]
    post_step(client, "check", check_values(client))
    first = AppointmentRequest.objects.get()
    other = Client()
    fill_to_check(other, location.pk, first_name="Blake")
    response = post_step(other, "check", check_values(other, submission_token=replayed))
    assert response.url == reverse("intake:confirmation")
    assert AppointmentRequest.objects.count() == 2
    assert first.reference not in other.get(response.url).content.decode()


def test_the_same_browser_posting_its_sent_intake_again_sees_its_confirmation(client, location):
    fill_to_check(client, location.pk)
    final = check_values(client)
    post_step(client, "check", final)
    client.get(reverse("intake:start") + "?reset")  # a new intake started meanwhile
    response = post_step(client, "check", final)
    assert response.url == reverse("intake:confirmation")
    assert AppointmentRequest.objects.count() == 1


def test_the_honeypot_saves_nothing_and_says_nothing(client, location):
    fill_to_check(client, location.pk)
    response = post_step(client, "check", check_values(client, website="http://spam.example"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert 'id="reference"' not in response.content.decode()
    assert not AppointmentRequest.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, location):
    fill_to_check(client, location.pk)
    page = client.get(step_url("check")).content.decode()
    assert 'class="visually-hidden"  aria-hidden="true"' in page
    assert 'name="check-website" tabindex="-1" autocomplete="off"' in page


def test_the_sixth_submission_from_one_address_is_refused_and_saves_nothing(client, location):
    for _ in range(5):
        assert complete_intake(client, location.pk).status_code == 302
    response = complete_intake(client, location.pk)
    assert response.status_code == 429
    assert "call us" in response.content.decode()
    assert AppointmentRequest.objects.count() == 5


def test_the_rate_limit_keeps_the_patients_answers(client, location):
    for _ in range(5):
        complete_intake(client, location.pk)
    complete_intake(client, location.pk)
    page = client.get(step_url("check")).content.decode()
    assert "<dd>Right knee</dd>" in page


def test_another_address_is_not_limited(client, location):
    for _ in range(5):
        complete_intake(client, location.pk)
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert complete_intake(other, location.pk).status_code == 302


def test_behind_the_clinics_proxy_each_patient_has_their_own_limit(location, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(5):
        complete_intake(first, location.pk)
    assert complete_intake(first, location.pk).status_code == 429
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert complete_intake(second, location.pk).status_code == 302


# --- expired sessions ------------------------------------------------------------------------


def test_a_later_step_without_a_session_says_the_session_ended(client):
    response = client.get(step_url("activity"))
    assert response.status_code == 200
    assert "your session has ended" in response.content.decode()


def test_posting_a_later_step_after_the_session_ended_says_so(client):
    client.get(reverse("intake:start"))
    client.cookies.clear()  # the session is gone, as after expiry
    response = post_step(client, "knee", form_values(valid_answers(), "knee"))
    page = response.content.decode()
    assert "your session has ended" in page
    assert f'href="{reverse("intake:start")}?reset=1"' in page


def test_the_session_ended_page_starts_a_new_intake(client):
    response = client.get(reverse("intake:start") + "?reset=1")
    assert response.url == step_url("safety")


# --- garbage ------------------------------------------------------------------------------------


def test_a_missing_management_form_is_a_friendly_400(client):
    client.get(reverse("intake:start"))
    response = client.post(step_url("safety"), {"safety-rf_locked": "true"})
    assert response.status_code == 400
    assert "could not read that page" in response.content.decode()


@pytest.mark.parametrize("step", ["nonsense", "done", "advice", "..%2Fadmin", "x" * 300])
def test_tampered_step_names_do_not_break(client, step):
    client.get(reverse("intake:start"))
    response = client.post(step_url("safety"), {f"{WIZARD}-current_step": step})
    assert response.status_code in (200, 302)
    assert client.get(step_url(step)).status_code in (200, 302)


def test_going_back_to_an_unknown_step_does_not_break(client):
    client.get(reverse("intake:start"))
    response = post_step(client, "safety", {}, wizard_goto_step="nowhere")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("step", "values"),
    [
        ("safety", {"rf_locked": "maybe"}),
        ("safety", {"rf_locked": ["true", "false"]}),
        ("knee", {"side": "middle"}),
        ("knee", {"pain_location": ["front", "elbow"]}),
        ("knee", {"pain_now": "11"}),
        ("knee", {"pain_now": "-1"}),
        ("knee", {"pain_now": "three"}),
        ("activity", {"weekly_distance_km": "1e9"}),
        ("activity", {"weekly_distance_km": "9" * 400}),
        ("activity", {"goal": "x" * 100_000}),
        ("activity", {"goal": "\x00"}),
        ("about", {"date_of_birth": "0000-00-00"}),
        ("about", {"email": "a@" + "b" * 300 + ".com"}),
        ("about", {"location": "'; DROP TABLE x;--"}),
        ("about", {"therapist_preference": "1.5"}),
    ],
)
def test_garbage_answers_get_errors_not_a_server_error(client, step, values):
    started(client)
    response = post_step(client, step, values)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_a_garbage_submission_token_is_ignored(client, location):
    fill_to_check(client, location.pk)
    response = post_step(client, "check", check_values(client, submission_token="nope"))
    assert response.status_code == 200
    assert not AppointmentRequest.objects.exists()


def test_a_post_without_a_csrf_token_is_refused_kindly(location):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("intake:start"))
    response = post_step(client, "safety", form_values(valid_answers(), "safety"))
    assert response.status_code == 403
    assert "this page has expired" in response.content.decode()


def test_pages_load_scripts_with_a_nonce_and_no_inline_code(client):
    started(client)
    response = client.get(step_url("knee"))
    page = response.content.decode()
    assert "nonce-" in response["Content-Security-Policy"]
    assert "<script>" not in page
    assert "style=" not in page
    assert 'src="/static/js/intake.js" nonce="' in page


def test_intake_pages_are_not_cached(client):
    response = client.get(reverse("intake:start"))
    response = client.get(step_url("safety"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.timeout(120)
def test_a_request_is_still_accepted_while_the_cache_is_down(client, location, redis_server):
    fill_to_check(client, location.pk)
    redis_server.stop()
    response = post_step(client, "check", check_values(client))
    assert response.url == reverse("intake:confirmation")
    assert AppointmentRequest.objects.count() == 1


def test_the_confirmation_without_a_sent_request_explains_instead_of_failing(client):
    response = client.get(reverse("intake:confirmation"))
    assert response.status_code == 200
    assert "your session has ended" in response.content.decode()


def test_opening_the_done_address_directly_does_not_send_anything(client, location):
    fill_to_check(client, location.pk)
    response = client.get(step_url("done"))
    assert response.status_code == 200
    assert not AppointmentRequest.objects.exists()


def test_an_unknown_address_gets_a_friendly_404_with_the_phone_number(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert settings.CLINIC_PHONE in response.content.decode()


def test_the_server_error_page_gives_the_phone_number(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert settings.CLINIC_PHONE in response.content.decode()


@pytest.mark.parametrize("step", ["safety", "knee", "activity", "about", "check"])
def test_a_file_part_posted_to_any_step_is_ignored_not_a_server_error(client, location, step):
    fill_to_check(client, location.pk)
    values = {
        "about": about_values(location.pk),
        "check": check_values(client),
    }.get(step) or form_values(valid_answers(), step)
    payload = {f"{WIZARD}-current_step": step, **{f"{step}-{k}": v for k, v in values.items()}}
    payload[f"{step}-upload"] = SimpleUploadedFile("knee.jpg", b"\xff\xd8\xff" * 100, "image/jpeg")
    response = client.post(step_url(step), payload)  # the test client sends multipart
    assert response.status_code == 302  # on to the next page, the file dropped
    assert not Document.objects.exists()  # documents come only from the status page
    if step == "check":
        assert AppointmentRequest.objects.count() == 1
