"""Notification moves to the notifications app (notifications/migrations/0001_initial.py).
Only the migration state changes here: the table and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_patient_name_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        )
    ]
