"""System checks of intake's settings: nothing that would leave a red-flag alert unsent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from intake.escalation import declaration_problems


@register()
def red_flag_alert_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.PRODUCTION and not settings.CLINIC_ALERT_EMAIL:
        errors.append(
            Error(
                "CLINIC_ALERT_EMAIL is not set.",
                hint="Set it to an address someone always reads (a shared inbox or pager "
                "gateway): a red-flag alert goes there when no on-call therapist or manager "
                "can be told, and an emergency nobody acknowledges reaches it in the end.",
                id="intake.E001",
            )
        )
    errors += [
        Error(f"RED_FLAG_ALERTS: {problem}.", id="intake.E002")
        for problem in declaration_problems()
    ]
    if not settings.CLINIC_OPENING_HOURS:
        errors.append(
            Error(
                "CLINIC_OPENING_HOURS opens on no day of the week.",
                hint="Steps that wait for opening hours would never be sent.",
                id="intake.E003",
            )
        )
    return errors
