"""Staff passwords are stored with Argon2, with the project's real hasher settings."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Patellar tendon 42 long run"


def test_new_passwords_are_hashed_with_argon2():
    user = UserFactory()

    user.set_password(PASSWORD)

    assert user.password.startswith("argon2$")


def test_signing_in_upgrades_an_older_hash_to_argon2():
    user = UserFactory(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    client = Client()

    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})

    assert "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
