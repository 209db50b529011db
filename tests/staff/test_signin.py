"""Staff sign-in: lockout after 5 wrong passwords, the 15-minute idle
timeout, and two-factor sign-in for therapists and managers when it is required."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import roles
from staff.services.enrolment import enrolment_link_issue, enrolment_link_path
from staff.signin.middleware import LAST_ACTIVITY
from tests.clinic.test_settings import PRODUCTION, start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Patellar tendon 42 long run"
ADMIN = "/admin/"


def staff(role: str | None = None, **fields: object):  # type: ignore[no-untyped-def]
    user = UserFactory(**fields)
    user.set_password(PASSWORD)
    user.save()
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def sign_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """The admin sign-in page, as a browser posts it."""
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": ADMIN}
    )


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # These rules do not depend on the hash; Argon2 costs about 0.3 s a check here.
    # tests/clinic/test_signin_passwords.py signs in with the real Argon2 settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- passwords ---


def test_the_test_client_login_still_works_with_the_lockout_backend():
    user = staff()

    assert Client().login(username=user.username, password=PASSWORD)


# --- lockout ---


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one():
    client = Client(REMOTE_ADDR="198.51.100.7")
    user = staff()
    for _ in range(5):
        sign_in(client, user.username, "not the password")

    response = sign_in(client, user.username)

    assert response.status_code == 429
    assert b"Signing in is paused" in response.content
    assert not is_signed_in(client)


def test_four_wrong_passwords_do_not_lock():
    client = Client()
    user = staff()
    for _ in range(4):
        sign_in(client, user.username, "not the password")

    sign_in(client, user.username)

    assert is_signed_in(client)


def test_the_account_opens_again_after_the_fifteen_minute_cool_off():
    client = Client()
    user = staff()
    for _ in range(5):
        sign_in(client, user.username, "not the password")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    sign_in(client, user.username)

    assert is_signed_in(client)


def test_the_lock_holds_for_that_username_from_that_address_only():
    user = staff()
    for _ in range(5):
        sign_in(Client(REMOTE_ADDR="198.51.100.7"), user.username, "not the password")

    other_address = Client(REMOTE_ADDR="198.51.100.8")
    sign_in(other_address, user.username)

    assert is_signed_in(other_address)


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock():
    user = staff()
    for attempt in range(5):
        sign_in(
            Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}"),
            user.username,
            "not the password",
        )

    response = sign_in(
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9"), user.username
    )

    assert response.status_code == 429


# --- idle timeout ---


def idle(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY] -= seconds
    session.save()


def test_staff_idle_for_more_than_fifteen_minutes_are_signed_out():
    client = Client()
    client.force_login(staff())
    client.get(ADMIN)
    idle(client, 15 * 60 + 5)

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not is_signed_in(client)


def test_the_sign_in_page_says_why_after_a_timeout():
    client = Client()
    client.force_login(staff())
    client.get(ADMIN)
    idle(client, 16 * 60)

    response = client.get(ADMIN, follow=True)

    assert b"signed out after 15 minutes without activity" in response.content


def test_activity_keeps_a_staff_session_alive():
    client = Client()
    client.force_login(staff())
    client.get(ADMIN)
    for _ in range(3):
        idle(client, 14 * 60)  # three 14-minute pauses: 42 minutes in all
        assert client.get(ADMIN).status_code == 200

    assert is_signed_in(client)


def test_a_staff_session_expires_on_the_server_with_the_idle_limit():
    client = Client()
    client.force_login(staff())
    client.get(ADMIN)

    assert client.session.get_expiry_age() == 15 * 60


def test_a_patient_session_lasts_two_hours_between_steps():
    client = Client()
    session = client.session
    session["intake_answers"] = {"side": "left"}
    session.save()

    assert client.session.get_expiry_age() == 2 * 60 * 60


# --- two-factor ---

two_factor_required = override_settings(STAFF_2FA_REQUIRED=True)


def with_device(user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@two_factor_required
@pytest.mark.parametrize("role", [roles.THERAPIST, roles.CLINIC_MANAGER])
def test_a_therapist_or_manager_without_a_device_is_sent_to_set_one_up(role):
    client = Client()
    client.force_login(staff(role))

    response = client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:signin_enrol"))


@two_factor_required
def test_a_superuser_without_a_device_is_sent_to_set_one_up():
    client = Client()
    client.force_login(staff(is_superuser=True))

    assert client.get(ADMIN).url.startswith(reverse("admin:signin_enrol"))


@two_factor_required
def test_admin_pages_stay_closed_until_the_code_is_entered():
    client = Client()
    user = staff(roles.THERAPIST, is_superuser=True)
    with_device(user)
    sign_in(client, user.username)

    for url in [ADMIN, reverse("admin:auth_user_changelist"), reverse("admin:password_change")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:signin_verify"))


@two_factor_required
def test_password_then_the_right_code_opens_the_admin():
    client = Client()
    user = staff(roles.THERAPIST)
    device = with_device(user)

    assert sign_in(client, user.username).url == ADMIN
    response = client.post(
        reverse("admin:signin_verify"), {"code": current_code(device), "next": ADMIN}
    )

    assert response.status_code == 302
    assert response.url == ADMIN
    assert client.get(ADMIN).status_code == 200


@two_factor_required
def test_a_wrong_code_is_refused():
    client = Client()
    user = staff(roles.THERAPIST)
    device = with_device(user)
    sign_in(client, user.username)

    response = client.post(reverse("admin:signin_verify"), {"code": wrong_code(device)})

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get(ADMIN).status_code == 302


@two_factor_required
def test_a_code_that_is_not_six_digits_gets_a_clear_error():
    client = Client()
    user = staff(roles.THERAPIST)
    with_device(user)
    client.force_login(user)

    response = client.post(reverse("admin:signin_verify"), {"code": "12ab"})

    assert b"Enter the 6 digits your authenticator app shows" in response.content


@two_factor_required
def test_repeated_wrong_codes_are_slowed_down():
    client = Client()
    user = staff(roles.THERAPIST)
    device = with_device(user)
    client.force_login(user)
    client.post(reverse("admin:signin_verify"), {"code": wrong_code(device)})

    # The device now refuses every code for a while, even the right one.
    response = client.post(reverse("admin:signin_verify"), {"code": current_code(device)})

    assert b"Too many wrong codes" in response.content
    assert client.get(ADMIN).status_code == 302


def follow_a_set_up_link(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    """What a manager hands over (tests/staff/test_enrolment_links.py covers the link)."""
    _link, token = enrolment_link_issue(user=user, issued_by=None)
    assert client.get(enrolment_link_path(token)).url == reverse("admin:signin_enrol")


@two_factor_required
def test_setting_up_shows_a_qr_code_and_the_key_then_a_code_confirms_it():
    client = Client()
    user = staff(roles.CLINIC_MANAGER)
    client.force_login(user)
    follow_a_set_up_link(client, user)

    page = client.get(reverse("admin:signin_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("admin:signin_enrol"), {"code": current_code(device)})

    assert b'src="data:image/svg+xml;base64,' in page.content
    assert page.context["secret"].encode() in page.content
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


@two_factor_required
def test_reloading_the_set_up_page_keeps_the_same_key():
    client = Client()
    user = staff(roles.THERAPIST)
    client.force_login(user)
    follow_a_set_up_link(client, user)

    first = client.get(reverse("admin:signin_enrol")).context["secret"]
    second = client.get(reverse("admin:signin_enrol")).context["secret"]

    assert first == second
    assert TOTPDevice.objects.count() == 1


@two_factor_required
def test_someone_with_a_device_cannot_add_another_before_entering_a_code():
    client = Client()
    user = staff(roles.THERAPIST)
    with_device(user)
    client.force_login(user)

    response = client.get(reverse("admin:signin_enrol"))

    assert response.url.startswith(reverse("admin:signin_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


@two_factor_required
def test_front_desk_may_sign_in_without_a_second_factor():
    client = Client()
    client.force_login(staff(roles.FRONT_DESK))

    assert client.get(ADMIN).status_code == 200


@two_factor_required
def test_front_desk_who_set_up_a_device_must_use_it():
    client = Client()
    user = staff(roles.FRONT_DESK)
    with_device(user)
    client.force_login(user)

    assert client.get(ADMIN).url.startswith(reverse("admin:signin_verify"))


@two_factor_required
def test_the_verify_page_sends_anonymous_visitors_to_sign_in():
    response = Client().get(reverse("admin:signin_verify"))

    assert response.url.startswith(reverse("admin:login"))


@two_factor_required
def test_the_code_page_never_redirects_to_another_site():
    client = Client()
    user = staff(roles.THERAPIST)
    device = with_device(user)
    client.force_login(user)

    response = client.post(
        reverse("admin:signin_verify"),
        {"code": current_code(device), "next": "https://evil.example/"},
    )

    assert response.url == ADMIN


def test_outside_production_two_factor_is_not_required_by_default():
    client = Client()
    client.force_login(staff(roles.THERAPIST))

    assert client.get(ADMIN).status_code == 200


def test_production_requires_two_factor_by_default():
    result = start(
        PRODUCTION,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)",
    )

    assert result.stdout.strip().splitlines()[-1] == "True"


def test_patient_pages_are_untouched_by_the_staff_rules():
    response = Client().get(reverse("intake:home"))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@two_factor_required
def test_a_staff_member_waiting_for_the_code_can_sign_out():
    client = Client()
    user = staff(roles.THERAPIST)
    with_device(user)
    client.force_login(user)

    client.post(reverse("admin:logout"))

    assert not is_signed_in(client)
