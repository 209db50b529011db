"""No two appointments of a therapist that hold time overlap, guaranteed by PostgreSQL (an
exclusion constraint over the therapist and [starts_at, busy_until), with btree_gist for the
equality on the therapist); and the two kinds of visit the clinic starts with.

The constraint is not part of the model state: SQLite has no exclusion constraints, and there
the booking service's check and insert run under SQLite's write lock (BEGIN IMMEDIATE,
clinic/settings.py) instead. Frozen here rather than read from the model, as migrations must.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func

CONSTRAINT_NAME = "appointment_therapist_time_not_overlapping"


class TimeRange(Func):
    function = "TSTZRANGE"
    output_field = models.Field()


def _constraint():
    return ExclusionConstraint(
        name=CONSTRAINT_NAME,
        expressions=[
            ("therapist", RangeOperators.EQUAL),
            (TimeRange("starts_at", "busy_until", models.Value("[)")), RangeOperators.OVERLAPS),
        ],
        condition=models.Q(status__in=["booked", "attended", "no_show"]),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("scheduling", "Appointment"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("scheduling", "Appointment"), _constraint())


def add_types(apps, schema_editor):
    AppointmentType = apps.get_model("scheduling", "AppointmentType")
    for code, name, minutes in (
        ("initial", "Initial assessment", 45),
        ("follow_up", "Follow-up", 30),
    ):
        AppointmentType.objects.get_or_create(
            code=code, defaults={"name": name, "minutes": minutes, "buffer_minutes": 0}
        )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        # CreateExtension does nothing on other databases.
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
        migrations.RunPython(add_types, migrations.RunPython.noop),
    ]
