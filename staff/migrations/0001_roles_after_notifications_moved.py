"""The roles once notifications have their own app: the managers' permissions on the
notification log are now named notifications.*, the same rows as before (the content type
moved with the model), so every group keeps what it had."""

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
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
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
            "intake.change_therapist",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
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
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conditions", "0002_seed_categories"),
        ("intake", "0002_staff_roles"),
        ("notifications", "0002_stored_messages"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
