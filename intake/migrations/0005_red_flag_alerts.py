"""Red-flag alerts, and one for every open, unreviewed urgent or emergency request already
submitted: its first alert went out under the old rule, so its chain goes on from step 1."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Frozen copies: the statuses still waiting for the front desk, and the alert levels.
OPEN_STATUSES = ("new", "contacted", "no_response")
ALERT_LEVELS = ("emergency", "urgent")


def alerts_for_waiting_urgent_intakes(apps, schema_editor):
    """The old rule alerted the on-call therapists and the managers at once and escalated
    after 2 hours if nobody reviewed the intake. An intake still waiting gets an alert that
    has sent its first step and is due its next: the beat sends what is due straight away."""
    Intake = apps.get_model("intake", "Intake")
    RedFlagAlert = apps.get_model("intake", "RedFlagAlert")
    waiting = Intake.objects.filter(
        triage__in=ALERT_LEVELS,
        reviewed_at__isnull=True,
        request__status__in=OPEN_STATUSES,
        alert__isnull=True,
    )
    RedFlagAlert.objects.bulk_create(
        RedFlagAlert(
            intake_id=intake.pk,
            level=intake.triage,
            raised_at=intake.submitted_at,
            steps_sent=1,
            next_step_at=intake.submitted_at,
        )
        for intake in waiting.only("pk", "triage", "submitted_at").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_notification_moves_to_its_own_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RedFlagAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("routine", "Routine"),
                            ("urgent", "Urgent: seen by a doctor within days"),
                            ("emergency", "Emergency: same-day medical care"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("raised", "Not acknowledged"),
                            ("acknowledged", "Acknowledged"),
                            ("contacted", "Patient contacted"),
                            ("closed", "Closed"),
                        ],
                        default="raised",
                        max_length=12,
                    ),
                ),
                ("raised_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("steps_sent", models.PositiveSmallIntegerField(default=0)),
                ("next_step_at", models.DateTimeField(blank=True, null=True)),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                ("contacted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "contact_outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("emergency_care", "Sent to emergency care"),
                            ("see_doctor", "Advised to see their doctor"),
                            ("booked", "Booked"),
                            ("not_reached", "Could not reach"),
                            ("declined", "Declined"),
                        ],
                        max_length=20,
                    ),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="alerts_acknowledged",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="alerts_closed",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contacted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="alerts_contacted",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "intake",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="alert",
                        to="intake.intake",
                    ),
                ),
            ],
            options={
                "verbose_name": "red-flag alert",
                "ordering": ["-raised_at"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "raised")),
                        fields=["next_step_at"],
                        name="alert_escalation_due",
                    ),
                    models.Index(
                        fields=["status", "raised_at"], name="intake_redf_status_78329d_idx"
                    ),
                    models.Index(fields=["acknowledged_at"], name="intake_redf_acknowl_315397_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "raised"),
                            models.Q(
                                ("acknowledged_at__isnull", False),
                                ("acknowledged_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="alert_past_raised_is_acknowledged",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status__in", ["contacted", "closed"]), _negated=True),
                            models.Q(
                                ("contacted_at__isnull", False),
                                models.Q(("contact_outcome", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="alert_contacted_has_outcome",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "closed"), _negated=True),
                            ("closed_at__isnull", False),
                            _connector="OR",
                        ),
                        name="alert_closed_has_time",
                    ),
                ],
            },
        ),
        migrations.RunPython(alerts_for_waiting_urgent_intakes, migrations.RunPython.noop),
    ]
