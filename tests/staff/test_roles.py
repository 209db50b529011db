"""The roles migration: three groups with exactly the permissions each role needs."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from staff import roles

pytestmark = pytest.mark.django_db


def granted(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("name", roles.ROLE_PERMISSIONS)
def test_each_role_has_exactly_its_permissions(name: str) -> None:
    assert granted(name) == roles.ROLE_PERMISSIONS[name]


def test_front_desk_holds_nothing_clinical() -> None:
    clinical_models = {
        "intake",
        "review",
        "referral",
        "notification",
        "conditioncategory",
        "clinical_document",  # referral letters and prescriptions patients send
    }
    assert not {
        perm for perm in granted(roles.FRONT_DESK) if perm.split("_", 1)[1] in clinical_models
    }


def test_therapists_only_view_requests() -> None:
    requests = {perm for perm in granted(roles.THERAPIST) if perm.endswith("appointmentrequest")}
    assert requests == {"intake.view_appointmentrequest"}


def test_managers_hold_everything_the_other_roles_do_and_the_trail() -> None:
    manager = granted(roles.CLINIC_MANAGER)
    assert granted(roles.FRONT_DESK) | granted(roles.THERAPIST) <= manager
    assert {
        "auth.change_user",
        "conditions.change_conditioncategory",
        "auditlog.view_logentry",
        "notifications.view_notification",
    } <= manager


# What a manager deletes to let a colleague back in: a sign-in lockout, a lost phone's
# authenticator. Neither is a record of the clinic's.
SIGN_IN_STATE = {"axes.delete_accessattempt", "otp_totp.delete_totpdevice"}


def test_nobody_may_delete_records() -> None:
    for name in roles.ROLE_PERMISSIONS:
        assert not [perm for perm in granted(name) - SIGN_IN_STATE if ".delete_" in perm]


def test_a_manager_can_lift_a_lockout_and_remove_a_lost_authenticator() -> None:
    assert granted(roles.CLINIC_MANAGER) >= SIGN_IN_STATE
    assert not SIGN_IN_STATE & (granted(roles.THERAPIST) | granted(roles.FRONT_DESK))


def test_syncing_again_restores_a_role_changed_by_hand() -> None:
    group = Group.objects.get(name=roles.FRONT_DESK)
    group.permissions.clear()
    roles.roles_sync(apps)
    assert granted(roles.FRONT_DESK) == roles.FRONT_DESK_PERMISSIONS
