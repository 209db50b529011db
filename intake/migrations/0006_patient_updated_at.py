"""Patients record when their details last changed, so the record system (fhir/) can fetch
what changed since it last looked. Existing rows start at their creation time."""

from django.db import migrations, models
from django.db.models import F


def from_created(apps, schema_editor):
    apps.get_model("intake", "Patient").objects.update(updated_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_red_flag_alerts")]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(from_created, migrations.RunPython.noop),
    ]
