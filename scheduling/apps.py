from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"
    # The audit trail keeps every change of these (who booked, moved or cancelled what).
    audited_models: dict[str, dict[str, tuple[str, ...] | bool]] = {
        "scheduling.Appointment": {},
        "scheduling.WorkingHours": {},
        "scheduling.TimeOff": {"masked": ("reason",)},
        "scheduling.Closure": {},
        "scheduling.SiteHours": {},
        "scheduling.SiteBooking": {},
        "scheduling.AppointmentType": {},
    }

    def ready(self) -> None:
        from notifications import kinds
        from scheduling.announcements import AppointmentMessage

        kinds.register(AppointmentMessage.choices)
