from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
    # The audit trail (audit/) keeps every notification recorded. Not its context: it holds
    # the patient's status link, which is as good as a password.
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "notifications.Notification": {"masked": ("context",)},
        # Who stopped or restarted our texts, and when.
        "notifications.SmsConsent": {},
    }
