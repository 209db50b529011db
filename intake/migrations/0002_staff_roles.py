"""The three staff roles as groups with their exact permissions (see staff/roles.py).

The sets are frozen here as they were when this migration was written: the roles declared in
staff/roles.py today may name permissions of apps migrated later.
"""

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
            "intake.change_notification",
            "intake.change_patient",
            "intake.change_therapist",
            "intake.view_appointmentrequest",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_notification",
            "intake.view_patient",
            "intake.view_referral",
            "intake.view_review",
            "intake.view_therapist",
        }
    ),
}


def create_roles(apps, schema_editor):
    roles_sync(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conditions", "0002_seed_categories"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
