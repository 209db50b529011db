"""The three staff roles as groups with their exact permissions (see staff/roles.py)."""

from django.db import migrations

from staff.roles import roles_sync


def create_roles(apps, schema_editor):
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conditions", "0002_seed_categories"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
