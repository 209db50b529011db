"""Celery entry points of the FHIR app. Each calls a service; beat runs housekeeping."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(
    name="interop.export_run",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.FHIR_EXPORT_TIME_LIMIT - 30,
    time_limit=settings.FHIR_EXPORT_TIME_LIMIT,
)
def export_run(job_id: str) -> str:
    """Write one bulk export's files."""
    from django.db import close_old_connections

    from interop.export.services import export_run as run

    close_old_connections()
    return run(job_id=job_id)


@shared_task(name="interop.housekeeping", ignore_result=True)
def housekeeping() -> int:
    """Delete expired export files, expired access tokens and spent one-time codes (beat)."""
    from oauth2_provider.models import clear_expired

    from interop.export.services import exports_housekeeping
    from interop.patient_copy.services import copy_codes_forget

    clear_expired()
    copy_codes_forget()
    return exports_housekeeping()
