from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from staff import roles
from tests.factories import UserFactory

IP = "203.0.113.9"


def staff_member(role: str, *permissions: str, **fields: object):  # type: ignore[no-untyped-def]
    """A staff user in ``role`` holding ``permissions`` ("app_label.codename") directly, so
    these tests do not depend on the exact permissions the roles migration grants."""
    user = UserFactory(**fields)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def signed_in() -> Callable[..., Client]:
    """A test client signed in as ``user``, whose requests come from the address ``IP``."""

    def sign_in(user) -> Client:  # type: ignore[no-untyped-def]
        client = Client(REMOTE_ADDR=IP)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def therapist():  # type: ignore[no-untyped-def]
    return staff_member(roles.THERAPIST, "intake.view_intake", "intake.change_intake")


@pytest.fixture
def front_desk():  # type: ignore[no-untyped-def]
    return staff_member(
        roles.FRONT_DESK, "intake.view_appointmentrequest", "intake.change_appointmentrequest"
    )


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    return staff_member(roles.CLINIC_MANAGER, "auditlog.view_logentry")
