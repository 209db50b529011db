"""What a message says is stored with it: its topic (the request's reference, replacing the
link to the request), subject, template and the small context it is rendered from, so
delivery reads nothing of the app that announced it.

Rows written before this migration get theirs from the request they announce, the way
intake.announcements writes them now, so messages still waiting are delivered as before.
The values are frozen here, as migrations must be: labels, links and templates as they were.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import migrations, models
from django.utils import dateformat

import notifications.kinds

SUBJECTS = {
    "new_request_staff": "New appointment request {reference}",
    "urgent_alert": "URGENT: intake {reference} needs a clinician now",
    "patient_ack": "We received your request ({reference})",
    "patient_scheduled": "Your appointment is booked ({reference})",
    "patient_cancelled": "Your request was cancelled ({reference})",
    "escalation": "Escalation: intake {reference} is still not reviewed",
    "delivery_failed": "A notification for {reference} could not be delivered",
}
KIND_LABELS = {
    "new_request_staff": "New request (staff)",
    "urgent_alert": "Urgent alert (on call and managers)",
    "patient_ack": "Acknowledgement (patient)",
    "patient_scheduled": "Appointment scheduled (patient)",
    "patient_cancelled": "Request cancelled (patient)",
    "escalation": "Escalation: intake not reviewed (managers)",
    "delivery_failed": "Delivery failed (managers)",
}
TRIAGE_LABELS = {
    "routine": "Routine",
    "urgent": "Urgent: seen by a doctor within days",
    "emergency": "Emergency: same-day medical care",
}
PATIENT_KINDS = {"patient_ack", "patient_scheduled", "patient_cancelled"}
STATUS_LINK_SALT = "intake.status-link"


def _context(notification, therapist_user_ids):
    request = notification.request
    location = request.location
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "emergency_number": settings.EMERGENCY_NUMBER,
        "reference": request.reference,
        "location": {"name": location.name, "address": location.address, "phone": location.phone},
    }
    site = settings.SITE_URL
    kind = notification.kind
    if kind in PATIENT_KINDS:
        token = signing.dumps(request.reference, salt=STATUS_LINK_SALT)
        context.update(link=f"{site}/status/{token}/", first_name=request.patient.first_name)
        if kind == "patient_scheduled":
            at_text, _, therapist_id = notification.dedupe_key.partition("|")
            when = datetime.fromisoformat(at_text).astimezone(ZoneInfo(settings.TIME_ZONE))
            date, time = dateformat.format(when, "l, F j, Y"), dateformat.format(when, "g:i A (T)")
            context["appointment_time"] = f"{date} at {time}"
            context["therapist"] = _therapist_name(notification, therapist_id)
        return context
    if kind == "delivery_failed":
        context["link"] = f"{site}/admin/notifications/notification/{notification.about_id}/change/"
        context["failed_kind"] = KIND_LABELS.get(notification.about.kind, notification.about.kind)
        return context
    triage = request.intake.triage
    clinician = kind in {"urgent_alert", "escalation"} or (
        notification.recipient_user_id in therapist_user_ids
    )
    context["link"] = (
        f"{site}/admin/intake/intake/{request.intake_id}/change/"
        if clinician
        else f"{site}/admin/intake/appointmentrequest/{request.pk}/change/"
    )
    context.update(
        triage=TRIAGE_LABELS.get(triage, triage),
        urgent=triage in ("urgent", "emergency"),
        urgent_review_hours=2,  # the rule of the time (now the red-flag alert chain)
        routine_review_days=settings.NOTIFICATION_ROUTINE_REVIEW_DAYS,
    )
    return context


def _therapist_name(notification, therapist_id):
    therapists = notification._meta.apps.get_model("intake", "Therapist")
    therapist = therapists.objects.select_related("user").filter(pk=therapist_id or 0).first()
    if therapist is None:
        return ""
    user = therapist.user
    return f"{user.first_name} {user.last_name}".strip() or user.username


def store_messages(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Therapist = apps.get_model("intake", "Therapist")
    therapist_user_ids = set(Therapist.objects.values_list("user_id", flat=True))
    rows = Notification.objects.select_related(
        "request__location", "request__patient", "request__intake", "about"
    ).order_by("pk")
    for notification in rows.iterator(chunk_size=500):
        reference = notification.request.reference
        notification.topic = reference
        notification.subject = SUBJECTS.get(notification.kind, "{reference}").format(
            reference=reference
        )
        notification.template = f"intake/email/{notification.kind}"
        # Only a message that may still be sent needs what it says; the rest are history.
        if notification.status != "sent":
            notification.context = _context(notification, therapist_user_ids)
        notification.save(update_fields=["topic", "subject", "template", "context"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_notification_moves_to_its_own_app"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="topic",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="subject",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="template",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="context",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(store_messages, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="notification",
            name="one_notification_per_request_kind_recipient",
        ),
        migrations.RemoveField(model_name="notification", name="request"),
        migrations.AlterField(
            model_name="notification",
            name="recipient",
            field=models.CharField(max_length=254),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=notifications.kinds.choices, max_length=40),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("topic", "kind", "recipient", "dedupe_key"),
                name="one_notification_per_topic_kind_recipient",
            ),
        ),
    ]
