"""The patient's language becomes a language code of the site ("en-us", "es"), taken from
the language they used; the free text given before is read as well as it can be."""

from django.db import migrations, models

SPANISH = ("es", "spa", "español", "espanol", "castellano")


def to_code(apps, schema_editor):
    Patient = apps.get_model("intake", "Patient")
    for patient in Patient.objects.only("preferred_language").iterator():
        said = patient.preferred_language.strip().lower()
        code = "es" if said.startswith(SPANISH) else "en-us"
        if code != patient.preferred_language:
            Patient.objects.filter(pk=patient.pk).update(preferred_language=code)


def to_name(apps, schema_editor):
    Patient = apps.get_model("intake", "Patient")
    Patient.objects.filter(preferred_language="es").update(preferred_language="Spanish")
    Patient.objects.exclude(preferred_language="Spanish").update(preferred_language="English")


class Migration(migrations.Migration):
    dependencies = [("intake", "0015_referrer_acknowledgement")]

    operations = [
        migrations.RunPython(to_code, to_name),
        migrations.AlterField(
            model_name="patient",
            name="preferred_language",
            field=models.CharField(
                choices=[("en-us", "English"), ("es", "Spanish")], default="en-us", max_length=16
            ),
        ),
    ]
