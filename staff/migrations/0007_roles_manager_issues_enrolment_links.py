"""Clinic managers issue the one-time links that let staff set up (or replace) their
authenticator app; the other roles get nothing new."""

from django.db import migrations

from staff.roles import roles_sync

ROLE_PERMISSIONS = {
    "Front desk": frozenset(
        {
            "intake.change_appointmentrequest",
            "intake.change_patient",
            "intake.view_appointmentrequest",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_therapist",
        }
    ),
    "Therapist": frozenset(
        {
            "conditions.view_conditioncategory",
            "intake.add_referral",
            "intake.add_referralcontact",
            "intake.add_review",
            "intake.change_intake",
            "intake.change_redflagalert",
            "intake.change_referralcontact",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
            "intake.view_referralcontact",
            "intake.view_review",
            "intake.view_therapist",
        }
    ),
    "Clinic manager": frozenset(
        {
            "auditlog.view_logentry",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
            "auth.view_user",
            "axes.delete_accessattempt",
            "axes.view_accessattempt",
            "conditions.change_conditioncategory",
            "conditions.view_conditioncategory",
            "intake.add_location",
            "intake.add_referral",
            "intake.add_referralcontact",
            "intake.add_review",
            "intake.add_therapist",
            "intake.change_appointmentrequest",
            "intake.change_intake",
            "intake.change_location",
            "intake.change_patient",
            "intake.change_redflagalert",
            "intake.change_referralcontact",
            "intake.change_therapist",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
            "intake.view_referralcontact",
            "intake.view_review",
            "intake.view_therapist",
            "interop.add_systemclient",
            "interop.change_systemclient",
            "interop.view_exportjob",
            "interop.view_systemclient",
            "notifications.change_notification",
            "notifications.view_notification",
            "otp_totp.delete_totpdevice",
            "otp_totp.view_totpdevice",
            "staff.add_enrolmentlink",
        }
    ),
}


def sync_roles(apps, schema_editor):
    roles_sync(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0006_enrolment_links"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
