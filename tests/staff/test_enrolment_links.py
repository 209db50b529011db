"""Setting up (or replacing) an authenticator app needs a one-time link a clinic manager
issues: a password alone binds no second factor (issue 17, finding 1)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import roles
from staff.models import EnrolmentLink
from staff.services.enrolment import enrolment_link_issue, enrolment_link_path, token_hash
from tests.staff.test_signin import (
    ADMIN,
    PASSWORD,
    current_code,
    is_signed_in,
    sign_in,
    staff,
    with_device,
)

pytestmark = pytest.mark.django_db

two_factor_required = override_settings(STAFF_2FA_REQUIRED=True)
# A page only therapists and managers may open: the intakes, with their clinical answers.
CLINICAL = "/admin/intake/intake/"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # As in test_signin.py: these rules do not depend on the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def link_for(user, issued_by=None) -> str:  # type: ignore[no-untyped-def]
    _link, token = enrolment_link_issue(user=user, issued_by=issued_by)
    return enrolment_link_path(token)


def set_up_with(client: Client, user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    """Scan the key the set-up page shows and confirm it with its first code."""
    client.get(reverse("admin:signin_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("admin:signin_enrol"), {"code": current_code(device), "next": ADMIN})
    device.refresh_from_db()
    return device


# --- without a link: no second factor, no clinical page ---


@two_factor_required
def test_without_a_link_the_password_alone_shows_no_key_and_says_ask_a_manager():
    client = Client()
    user = staff(roles.THERAPIST)
    sign_in(client, user.username)

    response = client.get(CLINICAL, follow=True)

    assert response.status_code == 403
    assert b"Ask a clinic manager for a set-up link" in response.content
    assert "secret" not in response.context
    assert not TOTPDevice.objects.filter(user=user).exists()


@two_factor_required
@pytest.mark.parametrize("role", [roles.THERAPIST, roles.CLINIC_MANAGER])
def test_without_a_link_no_clinical_or_admin_page_opens(role):
    client = Client()
    user = staff(role)
    sign_in(client, user.username)

    for url in [CLINICAL, ADMIN, reverse("admin:auth_user_changelist")]:
        assert client.get(url, follow=True).status_code == 403
    # Nor can a code be confirmed for a device made by hand or left from before.
    device = TOTPDevice.objects.create(user=user, name="left over", confirmed=False)
    client.post(reverse("admin:signin_enrol"), {"code": current_code(device)})
    device.refresh_from_db()
    assert not device.confirmed


# --- the link ---


@two_factor_required
def test_a_set_up_link_works_once():
    user = staff(roles.THERAPIST)
    link = link_for(user)
    client = Client()
    sign_in(client, user.username)

    assert client.get(link).url == reverse("admin:signin_enrol")
    device = set_up_with(client, user)
    assert device.confirmed
    assert client.get(CLINICAL).status_code == 200

    # Another browser, the same password, the same link: refused.
    again = Client()
    TOTPDevice.objects.filter(user=user).delete()  # even with the phone gone
    sign_in(again, user.username)
    response = again.get(link)
    assert response.status_code == 403
    assert b"already been used" in response.content
    assert again.get(CLINICAL, follow=True).status_code == 403


@two_factor_required
def test_following_the_link_again_in_the_same_session_keeps_the_set_up_page():
    user = staff(roles.THERAPIST)
    link = link_for(user)
    client = Client()
    sign_in(client, user.username)
    client.get(link)

    assert client.get(link).url == reverse("admin:signin_enrol")
    assert set_up_with(client, user).confirmed


@two_factor_required
def test_an_expired_link_is_refused():
    user = staff(roles.THERAPIST)
    link = link_for(user)
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    sign_in(client, user.username)

    response = client.get(link)

    assert response.status_code == 403
    assert b"This set-up link has expired" in response.content
    assert client.get(reverse("admin:signin_enrol")).status_code == 403


@override_settings(STAFF_ENROLMENT_LINK_HOURS=4)
def test_a_link_expires_after_the_configured_hours():
    link, _token = enrolment_link_issue(user=staff(roles.THERAPIST), issued_by=None)

    assert link.expires_at - link.created_at == timedelta(hours=4)


@two_factor_required
def test_a_link_followed_while_signed_in_as_someone_else_is_refused():
    owner = staff(roles.THERAPIST)
    someone_else = staff(roles.THERAPIST)
    link = link_for(owner)
    client = Client()
    sign_in(client, someone_else.username)

    response = client.get(link)

    assert response.status_code == 403
    assert b"made for another staff account" in response.content
    assert client.get(CLINICAL, follow=True).status_code == 403
    assert not TOTPDevice.objects.exists()
    # The owner's link is not spent by it.
    owner_client = Client()
    sign_in(owner_client, owner.username)
    assert owner_client.get(link).url == reverse("admin:signin_enrol")


@two_factor_required
def test_a_link_followed_by_someone_already_set_up_is_refused_and_not_spent():
    owner = staff(roles.THERAPIST)
    link = link_for(owner)
    manager = staff(roles.CLINIC_MANAGER)
    device = with_device(manager)
    client = Client()
    sign_in(client, manager.username)
    client.post(reverse("admin:signin_verify"), {"code": current_code(device)})

    response = client.get(link, follow=True)

    assert b"made for another staff account" in response.content
    assert EnrolmentLink.objects.get(user=owner).used_at is None


@two_factor_required
def test_an_anonymous_visitor_signs_in_first_then_lands_on_the_set_up_page():
    user = staff(roles.THERAPIST)
    link = link_for(user)
    client = Client()

    to_sign_in = client.get(link)
    assert to_sign_in.url.startswith(reverse("admin:login"))
    signed_in = client.post(to_sign_in.url, {"username": user.username, "password": PASSWORD})
    assert signed_in.url == link
    assert client.get(link).url == reverse("admin:signin_enrol")


@two_factor_required
def test_a_newer_link_replaces_an_unused_one():
    user = staff(roles.THERAPIST)
    first = link_for(user)
    second = link_for(user)
    client = Client()
    sign_in(client, user.username)

    assert b"A newer set-up link was issued" in client.get(first).content
    assert client.get(second).url == reverse("admin:signin_enrol")


def test_only_a_hash_of_the_token_is_stored():
    link, token = enrolment_link_issue(user=staff(roles.THERAPIST), issued_by=None)

    row = EnrolmentLink.objects.filter(pk=link.pk).values().get()
    assert token not in {str(value) for value in row.values()}
    assert row["token_hash"] == token_hash(token)


# --- the manager's page ---


def manager_client() -> tuple[Client, object]:
    manager = staff(roles.CLINIC_MANAGER)
    client = Client()
    client.force_login(manager)
    return client, manager


def test_a_manager_issues_a_link_on_the_staff_members_page_and_it_is_audited():
    client, manager = manager_client()
    therapist = staff(roles.THERAPIST)
    page = reverse("admin:auth_user_enrolment_link", args=[therapist.pk])

    account = client.get(reverse("admin:auth_user_change", args=[therapist.pk]))
    issued = client.post(page)

    assert page.encode() in account.content
    assert issued.status_code == 200
    url = issued.context["link_url"]
    assert url.startswith("http://testserver/admin/sign-in/enrol/")
    assert url.encode() in issued.content
    link = EnrolmentLink.objects.get(user=therapist)
    assert link.issued_by == manager
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(EnrolmentLink), object_pk=str(link.pk)
    )
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == manager


@two_factor_required
def test_lost_phone_the_manager_removes_the_app_and_the_link_sets_up_the_new_one():
    manager = staff(roles.CLINIC_MANAGER)
    manager_device = with_device(manager)
    managing = Client()
    sign_in(managing, manager.username)
    managing.post(reverse("admin:signin_verify"), {"code": current_code(manager_device)})
    therapist = staff(roles.THERAPIST)
    old_phone = with_device(therapist)

    issued = managing.post(
        reverse("admin:auth_user_enrolment_link", args=[therapist.pk]), {"remove_devices": "1"}
    )
    link = issued.context["link_url"].removeprefix("http://testserver")

    assert b"previous authenticator app was removed" in issued.content
    assert not TOTPDevice.objects.filter(pk=old_phone.pk).exists()
    client = Client()
    sign_in(client, therapist.username)
    assert client.get(CLINICAL, follow=True).status_code == 403  # not before the link
    client.get(link)
    assert set_up_with(client, therapist).confirmed
    assert client.get(CLINICAL).status_code == 200
    removal = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(TOTPDevice),
        object_pk=str(old_phone.pk),
        action=LogEntry.Action.DELETE,
    )
    assert removal.actor == manager


@pytest.mark.parametrize("role", [roles.FRONT_DESK, roles.THERAPIST])
def test_only_managers_issue_links(role):
    client = Client()
    client.force_login(staff(role))
    therapist = staff(roles.THERAPIST)

    response = client.post(reverse("admin:auth_user_enrolment_link", args=[therapist.pk]))

    assert response.status_code == 403
    assert not EnrolmentLink.objects.exists()


def test_a_manager_cannot_issue_a_link_for_a_superuser():
    client, _manager = manager_client()
    superuser = staff(is_superuser=True)

    response = client.post(reverse("admin:auth_user_enrolment_link", args=[superuser.pk]))

    assert response.status_code == 403
    assert not EnrolmentLink.objects.exists()


# --- the first manager of a fresh install ---


@two_factor_required
def test_the_command_prints_a_link_that_sets_up_the_first_manager(settings):
    settings.SITE_URL = "http://testserver"
    first = staff(is_superuser=True)
    out = StringIO()

    call_command("enrolment_link", first.username, stdout=out, stderr=StringIO())
    link = out.getvalue().strip().removeprefix("http://testserver")

    client = Client()
    sign_in(client, first.username)
    assert client.get(link).url == reverse("admin:signin_enrol")
    assert set_up_with(client, first).confirmed
    assert client.get(ADMIN).status_code == 200
    assert is_signed_in(client)


def test_the_command_names_an_unknown_account_clearly():
    with pytest.raises(CommandError, match="No staff account is named 'nobody'"):
        call_command("enrolment_link", "nobody", stdout=StringIO())


@two_factor_required
@pytest.mark.parametrize("token", ["x" * 5000, "%00", "..", "a%2Fb"])
def test_an_odd_link_gets_a_clear_refusal_not_an_error(token):
    user = staff(roles.THERAPIST)
    client = Client()
    sign_in(client, user.username)

    response = client.get(f"/admin/sign-in/enrol/{token}/", follow=True)

    assert response.status_code in {400, 403, 404}
    assert not TOTPDevice.objects.exists()
