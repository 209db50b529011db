"""The staff roles: Django groups created by migrations, named once here, with their exact
permissions. Least privilege: the front desk never holds a permission on clinical records.

Changing a set below needs a new data migration in `staff/migrations/` that calls
`roles_sync` with a frozen copy of the new sets (as the latest one there does), depending on
the migrations of every app named. The tests check that the groups a fresh database gets
hold exactly these sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

FRONT_DESK = "Front desk"
THERAPIST = "Therapist"
CLINIC_MANAGER = "Clinic manager"

# "app_label.codename". Nobody deletes patient records in the admin: they are kept.
FRONT_DESK_PERMISSIONS = frozenset(
    {
        "intake.view_appointmentrequest",
        "intake.change_appointmentrequest",
        "intake.view_patient",
        "intake.change_patient",
        "intake.view_location",
        "intake.view_therapist",
        # The insurance cards patients send (never their referral letters or prescriptions).
        "intake.view_insurance_card",
        # Availability and appointments (scheduling/): the desk keeps the diary.
        *(
            f"scheduling.{action}_{model}"
            for model in ("workinghours", "timeoff", "closure", "sitehours")
            # No delete: a change is kept in the trail, and hours are edited, not removed.
            for action in ("add", "change", "view")
        ),
        "scheduling.add_appointment",
        "scheduling.change_appointment",
        "scheduling.view_appointment",
        "scheduling.view_appointmenttype",
        "scheduling.view_sitebooking",
    }
)
THERAPIST_PERMISSIONS = frozenset(
    {
        "intake.view_intake",
        "intake.change_intake",
        "intake.add_review",
        "intake.view_review",
        "intake.add_referral",
        "intake.view_referral",
        # The directory of referral destinations (the letters' addressees).
        "intake.add_referralcontact",
        "intake.change_referralcontact",
        "intake.view_referralcontact",
        # Red-flag alerts: acknowledge, record the contact with the patient, close.
        "intake.view_redflagalert",
        "intake.change_redflagalert",
        # The referral letters and prescriptions patients send (not their insurance cards).
        "intake.view_clinical_document",
        "intake.view_patient",
        "intake.view_appointmentrequest",
        "intake.view_location",
        "intake.view_therapist",
        "conditions.view_conditioncategory",
        # Their own diary: who comes when.
        "scheduling.view_appointment",
        "scheduling.view_workinghours",
        "scheduling.view_timeoff",
    }
)
CLINIC_MANAGER_PERMISSIONS = (
    FRONT_DESK_PERMISSIONS
    | THERAPIST_PERMISSIONS
    | {
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "intake.add_location",
        "intake.change_location",
        "intake.add_therapist",
        "intake.change_therapist",
        "conditions.change_conditioncategory",
        # The kinds of visit and their lengths; online booking per site.
        "scheduling.add_appointmenttype",
        "scheduling.change_appointmenttype",
        "scheduling.add_sitebooking",
        "scheduling.change_sitebooking",
        "notifications.view_notification",
        "notifications.change_notification",
        "auditlog.view_logentry",  # the audit trail (audit/)
        # The record system's clients and their bulk exports (interop/).
        "interop.add_systemclient",
        "interop.change_systemclient",
        "interop.view_systemclient",
        "interop.view_exportjob",
        # Lifting a sign-in lockout early (django-axes) and removing a lost phone's
        # authenticator (django-otp): the manager is who staff call when locked out.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        # Issuing a one-time link to set up (or replace) a staff member's authenticator app.
        "staff.add_enrolmentlink",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    FRONT_DESK: FRONT_DESK_PERMISSIONS,
    THERAPIST: THERAPIST_PERMISSIONS,
    CLINIC_MANAGER: CLINIC_MANAGER_PERMISSIONS,
}
# Permissions that reveal clinical detail: a role holding none of them sees none.
CLINICAL_PERMISSION = "intake.view_intake"


def staff_member(request: HttpRequest) -> User:
    """The signed-in staff member a staff page serves (the admin lets nobody else in)."""
    user = request.user
    assert isinstance(user, User), "staff pages are only served to signed-in staff"
    return user


def roles_sync(apps: Any, role_permissions: Mapping[str, frozenset[str]] | None = None) -> None:
    """Create the groups and give each exactly its permissions (for migrations: `apps` is the
    migration state's registry, `role_permissions` the migration's own frozen copy of the
    roles; without one, today's). Raises LookupError naming any permission that is missing."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; a fresh database needs them now.
    # create_permissions skips app configs without models_module, which the migration
    # state's configs lack; set it for the call and restore it (never clobber the real one).
    for app_config in apps.get_app_configs():
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in (role_permissions or ROLE_PERMISSIONS).items():
        found = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.filter(
                content_type__app_label__in={perm.split(".")[0] for perm in wanted}
            ).values_list("pk", "content_type__app_label", "codename")
        }
        missing = sorted(wanted - found.keys())
        if missing:
            raise LookupError(f"Permissions for the {name!r} role do not exist: {missing}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([found[perm] for perm in wanted])
