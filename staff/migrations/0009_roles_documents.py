"""Therapists open the referral letters and prescriptions patients send, the front desk
their insurance cards, managers both (intake.Document)."""

from django.db import migrations

from staff.roles import roles_sync

ROLE_PERMISSIONS = {
    "Front desk": frozenset(
        {
            "intake.change_appointmentrequest",
            "intake.change_patient",
            "intake.view_appointmentrequest",
            "intake.view_insurance_card",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_therapist",
            "scheduling.add_appointment",
            "scheduling.add_closure",
            "scheduling.add_sitehours",
            "scheduling.add_timeoff",
            "scheduling.add_workinghours",
            "scheduling.change_appointment",
            "scheduling.change_closure",
            "scheduling.change_sitehours",
            "scheduling.change_timeoff",
            "scheduling.change_workinghours",
            "scheduling.view_appointment",
            "scheduling.view_appointmenttype",
            "scheduling.view_closure",
            "scheduling.view_sitebooking",
            "scheduling.view_sitehours",
            "scheduling.view_timeoff",
            "scheduling.view_workinghours",
        }
    ),
    "Therapist": frozenset(
        {
            "conditions.view_conditioncategory",
            "intake.add_referral",
            "intake.add_referralcontact",
            "intake.add_review",
            "intake.change_intake",
            "intake.change_redflagalert",
            "intake.change_referralcontact",
            "intake.view_appointmentrequest",
            "intake.view_clinical_document",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
            "intake.view_referralcontact",
            "intake.view_review",
            "intake.view_therapist",
            "scheduling.view_appointment",
            "scheduling.view_timeoff",
            "scheduling.view_workinghours",
        }
    ),
    "Clinic manager": frozenset(
        {
            "auditlog.view_logentry",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
            "auth.view_user",
            "axes.delete_accessattempt",
            "axes.view_accessattempt",
            "conditions.change_conditioncategory",
            "conditions.view_conditioncategory",
            "intake.add_location",
            "intake.add_referral",
            "intake.add_referralcontact",
            "intake.add_review",
            "intake.add_therapist",
            "intake.change_appointmentrequest",
            "intake.change_intake",
            "intake.change_location",
            "intake.change_patient",
            "intake.change_redflagalert",
            "intake.change_referralcontact",
            "intake.change_therapist",
            "intake.view_appointmentrequest",
            "intake.view_clinical_document",
            "intake.view_insurance_card",
            "intake.view_intake",
            "intake.view_location",
            "intake.view_patient",
            "intake.view_redflagalert",
            "intake.view_referral",
            "intake.view_referralcontact",
            "intake.view_review",
            "intake.view_therapist",
            "interop.add_systemclient",
            "interop.change_systemclient",
            "interop.view_exportjob",
            "interop.view_systemclient",
            "notifications.change_notification",
            "notifications.view_notification",
            "otp_totp.delete_totpdevice",
            "otp_totp.view_totpdevice",
            "scheduling.add_appointment",
            "scheduling.add_appointmenttype",
            "scheduling.add_closure",
            "scheduling.add_sitebooking",
            "scheduling.add_sitehours",
            "scheduling.add_timeoff",
            "scheduling.add_workinghours",
            "scheduling.change_appointment",
            "scheduling.change_appointmenttype",
            "scheduling.change_closure",
            "scheduling.change_sitebooking",
            "scheduling.change_sitehours",
            "scheduling.change_timeoff",
            "scheduling.change_workinghours",
            "scheduling.view_appointment",
            "scheduling.view_appointmenttype",
            "scheduling.view_closure",
            "scheduling.view_sitebooking",
            "scheduling.view_sitehours",
            "scheduling.view_timeoff",
            "scheduling.view_workinghours",
            "staff.add_enrolmentlink",
        }
    ),
}


def sync_roles(apps, schema_editor):
    roles_sync(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0008_roles_scheduling"),
        # Renumbered with intake's migration if that one is renumbered at a merge.
        ("intake", "0014_documents"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
