"""Notification, moved here from intake with its table (intake_notification) and rows: only
the migration state changes. Its content type moves too, so the audit trail's entries and the
permissions (and the roles holding them) follow the model."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="intake", model="notification").update(
        app_label="notifications"
    )
    ContentType.objects.clear_cache()


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications", model="notification").update(
        app_label="intake"
    )
    ContentType.objects.clear_cache()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0004_notification_moves_to_its_own_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("new_request_staff", "New request (staff)"),
                                    ("urgent_alert", "Urgent alert (on call and managers)"),
                                    ("patient_ack", "Acknowledgement (patient)"),
                                    ("patient_scheduled", "Appointment scheduled (patient)"),
                                    ("patient_cancelled", "Request cancelled (patient)"),
                                    ("escalation", "Escalation: intake not reviewed (managers)"),
                                    ("delivery_failed", "Delivery failed (managers)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "channel",
                            models.CharField(
                                choices=[("email", "E-mail")], default="email", max_length=10
                            ),
                        ),
                        ("recipient", models.EmailField(max_length=254)),
                        ("dedupe_key", models.CharField(blank=True, default="", max_length=64)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("message_id", models.CharField(blank=True, max_length=200)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        (
                            "about",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="failure_reports",
                                to="notifications.notification",
                            ),
                        ),
                        (
                            "recipient_user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "request",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notifications",
                                to="intake.appointmentrequest",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "intake_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "next_attempt_at"],
                                name="intake_noti_status_ca11c6_idx",
                            ),
                            models.Index(
                                fields=["status", "claimed_at"],
                                name="intake_noti_status_a49da1_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("request", "kind", "recipient", "dedupe_key"),
                                name="one_notification_per_request_kind_recipient",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
