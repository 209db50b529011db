from django.db import migrations, models
from django.db.models.functions import Coalesce


def from_the_last_move(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A referral written before this field was last changed by its last move, if any."""
    Referral = apps.get_model("intake", "Referral")
    Referral.objects.update(updated_at=Coalesce("status_changed_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_referral_tracking")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(from_the_last_move, migrations.RunPython.noop),
    ]
