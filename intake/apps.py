from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Patient intake"
    # The audit trail (audit/) keeps every change and staff view of these models. Masked
    # fields are clinical: an entry names them when they change, never their value.
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "intake.Patient": {},
        "intake.Intake": {
            "masked": (
                "answers",
                "prescreen",
                "triage",
                "top_category",
                "needs_review",
                "knee_notes",
            ),
            "plain_name": True,
        },
        # The note for booking is the patient's free text (older requests' notes may describe
        # the knee, asked before the two were split), so it stays masked. The submission
        # token is a secret: with it, a browser could once be handed the status link.
        "intake.AppointmentRequest": {
            "masked": ("notes", "insurance_member_number", "submission_token")
        },
        "intake.Therapist": {},
        "intake.CallTask": {},
        # The note is meant to hold nothing clinical; masked in case a patient's words slip in.
        "intake.ContactAttempt": {"masked": ("note",)},
        "intake.Location": {},
        "intake.Review": {
            "masked": ("prescreen_category", "agrees", "category", "note"),
            "plain_name": True,
        },
        "intake.Referral": {"masked": ("destination", "reason", "impression"), "plain_name": True},
        # Who acknowledged, contacted and closed, and when, in plain; the level and the
        # outcome of the call are clinical.
        "intake.RedFlagAlert": {"masked": ("level", "contact_outcome"), "plain_name": True},
        # A document's file name is the patient's words ("knee MRI report.pdf"): masked.
        # Every staff view of its file is an access entry (intake/admin/documents.py).
        "intake.Document": {"masked": ("original_name",)},
    }

    def ready(self) -> None:
        from intake import checks  # noqa: F401 (registers the system checks)
        from intake.announcements import NotificationKind
        from notifications import kinds

        kinds.register(NotificationKind.choices)
