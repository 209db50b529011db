from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "interop"
    verbose_name = "Record system (FHIR)"
    # The audit trail (audit/) keeps every change of these; the client secret is masked.
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "interop.SystemClient": {"masked": ("client_secret",)},
    }

    def ready(self) -> None:
        from interop.patient_copy.services import NotificationKind
        from notifications import kinds

        kinds.register(NotificationKind.choices)
