"""Clinic managers create FHIR clients in the staff admin; the secret is shown once and
works at the token endpoint; nobody else can."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from oauth2_provider.models import get_access_token_model

from interop.models import SystemClient
from staff import roles
from tests.intake.staff import client_for
from tests.interop.fhir import System

pytestmark = pytest.mark.django_db
ADD = "/admin/interop/systemclient/add/"


def test_a_manager_creates_a_client_whose_secret_is_shown_once_and_works() -> None:
    manager = client_for(roles.CLINIC_MANAGER)
    response = manager.post(
        ADD,
        {"name": "Acme Practice Manager", "scope": ["system/Patient.read"], "is_active": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    client = SystemClient.objects.get()
    secret = re.search(r"Client secret</label> <code>([^<]+)</code>", page)
    assert secret is not None
    assert client.client_id in page
    assert identify_hasher(client.client_secret)  # stored hashed
    assert "no-store" in response["Cache-Control"]
    system = System(client, secret.group(1), manager).sign_in()
    assert system.get("/fhir/R4/Patient").status_code == 200
    # The change page never shows it again.
    change = manager.get(f"/admin/interop/systemclient/{client.pk}/change/").content.decode()
    assert secret.group(1) not in change


def test_turning_a_client_off_ends_its_tokens() -> None:
    manager = client_for(roles.CLINIC_MANAGER)
    page = manager.post(ADD, {"name": "Old system", "scope": ["system/*.read"], "is_active": "on"})
    client = SystemClient.objects.get()
    secret = re.search(r"Client secret</label> <code>([^<]+)</code>", page.content.decode())
    assert secret is not None
    system = System(client, secret.group(1), Client()).sign_in()
    change = f"/admin/interop/systemclient/{client.pk}/change/"
    response = manager.post(change, {"name": "Old system", "scope": ["system/*.read"]})
    assert response.status_code == 302
    assert not get_access_token_model().objects.filter(application=client).exists()
    assert system.get("/fhir/R4/Patient").status_code == 401
    assert system.ask_token().status_code == 401


@pytest.mark.parametrize("role", ["anonymous", roles.FRONT_DESK, roles.THERAPIST])
def test_nobody_else_may_create_clients(role: str) -> None:
    response = client_for(role).get(ADD)
    assert response.status_code in (302, 403)
    assert not SystemClient.objects.exists()
