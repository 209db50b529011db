"""Case-insensitive name-prefix indexes for staff search (PostgreSQL only)."""

from django.db import migrations

# Staff search matches the start of a name in any letter case: UPPER(name) LIKE 'ABC%'.
# Outside the C locale only a text_pattern_ops index serves LIKE, and that is PostgreSQL's.
NAME_INDEXES = {
    "patient_last_name_prefix": "last_name",
    "patient_first_name_prefix": "first_name",
}


def create_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in NAME_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "intake_patient" '
            f'(UPPER("{column}"::text) text_pattern_ops)'
        )


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAME_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_staff_roles")]

    operations = [migrations.RunPython(create_name_indexes, drop_name_indexes)]
