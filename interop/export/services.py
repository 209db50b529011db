"""Bulk exports: starting one, running it (the Celery task's body), cancelling it, and
deleting the files of those that expired. Every exported record is in the audit trail."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from audit.access import record_access_by
from interop.mapping import Resource
from interop.models import ExportJob, ExportLevel, ExportStatus, SystemClient
from interop.search.paging import selected
from interop.search.params import Query
from interop.search.registry import RESOURCE_TYPES, ResourceType, resource_type

logger = logging.getLogger(__name__)

# The bulk data specification's output formats, all meaning newline-delimited FHIR JSON.
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
_BATCH = 500


class ExportRefused(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def exportable_types(level: str) -> list[ResourceType]:
    return [
        found
        for found in RESOURCE_TYPES
        if level == ExportLevel.SYSTEM or found.patient_compartment
    ]


def storage() -> Storage:
    return storages["fhir_exports"]


def export_start(
    *,
    client: SystemClient,
    readable: frozenset[str],
    level: str,
    type_names: list[str] | None,
    since: datetime | None,
    request_url: str,
) -> ExportJob:
    """Record an export for the Celery task to run. Without ``_type`` it holds every type
    the client may read; a type it may not read, or one the level does not hold, is refused.
    A client runs one export at a time."""
    candidates = {found.name: found for found in exportable_types(level)}
    if type_names is None:
        names = [name for name in candidates if name in readable]
    else:
        unknown = [name for name in type_names if name not in candidates]
        if unknown:
            raise ExportRefused(f"_type: this export holds no {', '.join(unknown)}.")
        refused = [name for name in type_names if name not in readable]
        if refused:
            raise ExportRefused(f"_type: this token may not read {', '.join(refused)}.", status=403)
        names = list(dict.fromkeys(type_names))
    if not names:
        raise ExportRefused("This token may read none of the types this export holds.", 403)
    with transaction.atomic():
        busy = ExportJob.objects.select_for_update().filter(
            client=client, status__in=(ExportStatus.ACCEPTED, ExportStatus.RUNNING)
        )
        if busy.exists():
            raise ExportRefused(
                "An export of this client is still running: wait for it or cancel it.", 429
            )
        job = ExportJob.objects.create(
            client=client, level=level, types=names, since=since, request_url=request_url
        )
        # Published once committed; if the broker is down, housekeeping publishes it later.
        transaction.on_commit(lambda: export_publish(job_id=str(job.pk)), robust=True)
    return job


def file_name(type_name: str) -> str:
    return f"{type_name}.ndjson"


def _path(job: ExportJob, name: str) -> str:
    return f"{job.pk}/{name}"


def _exported(job: ExportJob, found: ResourceType) -> Iterator[tuple[Model | None, Resource]]:
    """Each resource of the type as of the export's transaction time, changed after
    ``_since`` where the records keep a time (those that keep none are always included)."""
    if found.fixed is not None:
        for one in found.fixed():
            yield None, one
        return
    query = Query(where={source.prefix: Q() for source in found.sources})
    for index, source in enumerate(found.sources):
        window = Q()
        if source.updated:
            window &= Q(**{f"{source.updated}__lte": job.created_at})
            if job.since is not None:
                window &= Q(**{f"{source.updated}__gt": job.since})
        for record in selected(found, query, index, window).iterator(chunk_size=_BATCH):
            for one in source.resources(record):
                yield source.audited_record(record), one


def export_run(*, job_id: str) -> str:
    """Write the export's files, one per type, and its manifest entries. Claims the job with
    a conditional update, so of two workers given the same job only one runs it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.ACCEPTED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("client").get(pk=job_id)
    output = []
    try:
        for index, type_name in enumerate(job.types):
            found = resource_type(type_name)
            assert found is not None, f"unknown type {type_name}"
            ExportJob.objects.filter(pk=job.pk).update(
                progress=f"Writing {type_name} ({index + 1} of {len(job.types)})"
            )
            count = _write(job, found)
            output.append({"type": type_name, "name": file_name(type_name), "count": count})
            if ExportJob.objects.filter(pk=job.pk, status=ExportStatus.CANCELLED).exists():
                _delete_files(job)
                return ExportStatus.CANCELLED
    except Exception as problem:
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=f"The export failed: {type(problem).__name__}"
        )
        _delete_files(job)
        return ExportStatus.FAILED
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.COMPLETED,
        output=output,
        progress="",
        completed_at=now,
        expires_at=now + timedelta(hours=settings.FHIR_EXPORT_RETENTION_HOURS),
    )
    return ExportStatus.COMPLETED


def _write(job: ExportJob, found: ResourceType) -> int:
    lines = []
    audited: list[Model] = []
    for record, one in _exported(job, found):
        lines.append(json.dumps(one, ensure_ascii=False, separators=(",", ":")))
        if record is not None:
            audited.append(record)
    body = "\n".join(lines) + ("\n" if lines else "")
    target = storage()
    path = _path(job, file_name(found.name))
    if target.exists(path):
        target.delete(path)
    target.save(path, ContentFile(body.encode()))
    record_access_by(
        actor=f"FHIR client “{job.client.name}” ({job.client.client_id})",
        instances=audited,
        note=f"FHIR bulk export {job.pk}",
    )
    return len(lines)


def export_file_path(job: ExportJob, name: str) -> str | None:
    """The stored file of a completed export, or None when the export has no such file."""
    if job.status != ExportStatus.COMPLETED:
        return None
    if name not in {entry["name"] for entry in job.output}:
        return None
    return _path(job, name)


def export_cancel(*, job: ExportJob) -> bool:
    """Cancel an export (and delete its files); False when it was already over."""
    cancelled = ExportJob.objects.filter(
        pk=job.pk, status__in=(ExportStatus.ACCEPTED, ExportStatus.RUNNING, ExportStatus.COMPLETED)
    ).update(status=ExportStatus.CANCELLED, expires_at=timezone.now())
    if cancelled:
        _delete_files(job)
    return bool(cancelled)


def _delete_files(job: ExportJob) -> None:
    target = storage()
    folder = str(job.pk)
    if not target.exists(folder):
        return
    _dirs, files = target.listdir(folder)
    for name in files:
        target.delete(f"{folder}/{name}")
    # The emptied folder too, on a file system (other storages have no folders).
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(target.path(folder))


def export_publish(*, job_id: str) -> None:
    """Queue the export for a worker (task ``interop.export_run``, in interop/tasks.py)."""
    current_app.send_task("interop.export_run", args=[job_id])


def exports_housekeeping(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry, fail exports whose worker died, and
    publish again exports the broker never got (beat); returns how many expired."""
    now = now or timezone.now()
    for job_id in ExportJob.objects.filter(
        status=ExportStatus.ACCEPTED, created_at__lt=now - timedelta(minutes=1)
    ).values_list("pk", flat=True):
        try:
            export_publish(job_id=str(job_id))
        except Exception as problem:  # kombu and redis raise several types for "down"
            logger.warning("Broker unavailable, export %s waits: %s", job_id, type(problem))
            break
    due = list(ExportJob.objects.filter(status=ExportStatus.COMPLETED, expires_at__lte=now))
    for job in due:
        _delete_files(job)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED)
    # An export whose worker died: after the task's time limit it will never finish.
    stale = now - timedelta(seconds=settings.FHIR_EXPORT_TIME_LIMIT * 2)
    for job in ExportJob.objects.filter(status=ExportStatus.RUNNING, started_at__lt=stale):
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error="The export stopped before it finished."
        )
        _delete_files(job)
    return len(due)
