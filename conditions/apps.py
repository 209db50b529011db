from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Knee conditions"
    # The audit trail (audit/) keeps every change of the taxonomy's text.
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "conditions.ConditionCategory": {}
    }
