"""Therapists and clinic managers act on red-flag alerts: they see them, acknowledge them,
record the contact with the patient and close them. The front desk does not: an alert is
clinical."""

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
            "intake.add_review",
            "intake.change_intake",
            "intake.change_redflagalert",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
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
            "conditions.change_conditioncategory",
            "conditions.view_conditioncategory",
            "intake.add_location",
            "intake.add_referral",
            "intake.add_review",
            "intake.add_therapist",
            "intake.change_appointmentrequest",
            "intake.change_intake",
            "intake.change_location",
            "intake.change_patient",
            "intake.change_redflagalert",
            "intake.change_therapist",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
            "intake.view_review",
            "intake.view_therapist",
            "notifications.change_notification",
            "notifications.view_notification",
        }
    ),
}


def sync_roles(apps, schema_editor):
    roles_sync(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_roles_after_notifications_moved"),
        ("intake", "0005_red_flag_alerts"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
