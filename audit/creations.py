"""Audit entries for records created together, such as a patient's submission: one INSERT
for all of them.

auditlog writes one entry per saved row, each built by diffing every field against nothing
(and reading reverse relations on the way). For records that are new, there is nothing to
diff: the entry says who created what, with the values of its own columns, masked fields
hidden as in every other entry. Updates and deletions keep auditlog's own entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save

from audit.masking import HIDDEN

_batch: ContextVar[list[Model] | None] = ContextVar("audit_creations", default=None)
# model label -> its masked fields (`audited_models`); filled by `registry`.
MASKED: dict[str, frozenset[str]] = {}


@contextmanager
def creations_recorded_together() -> Iterator[None]:
    """Inside the block, each audited record created is held back from auditlog's own entry
    and all of them are written in one INSERT when the block ends without an error (an
    error writes nothing: the caller's transaction is rolled back anyway). Use inside the
    transaction that creates them."""
    batch: list[Model] = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    record_creations(batch)


def record_creations(instances: Iterable[Model]) -> None:
    """Audit entries for records just created without `save()` (``bulk_create``), or held
    back by `creations_recorded_together`: one INSERT."""
    batch = _batch.get()
    if batch is not None:
        batch.extend(instances)
        return
    audited = [instance for instance in instances if _label(instance) in MASKED]
    # Their content types in one query (none once cached), not one per model.
    types = ContentType.objects.get_for_models(*{type(instance) for instance in audited})
    entries = [_entry(instance, types[type(instance)]) for instance in audited]
    if entries:
        LogEntry.objects.bulk_create(entries)


def hold_back_creation(sender: type[Model], instance: Model, action: int, **kwargs: Any) -> Any:
    """auditlog's `pre_log`: False skips its own entry (the block writes one instead)."""
    batch = _batch.get()
    if batch is None or action != LogEntry.Action.CREATE:
        return None
    batch.append(instance)
    return False


def _label(instance: Model) -> str:
    return instance._meta.label


def _entry(instance: Model, content_type: ContentType) -> LogEntry:
    from audit.registry import record_name  # it imports this module

    masked = MASKED[_label(instance)]
    changes = {
        field.name: [None, HIDDEN if field.name in masked else field.value_to_string(instance)]
        for field in instance._meta.concrete_fields
    }
    pk = instance.pk
    entry = LogEntry(
        content_type=content_type,
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=record_name(instance),
        action=LogEntry.Action.CREATE,
        changes=changes,
        cid=get_cid(),
    )
    # What a saved entry gets from its pre_save receivers: the request's actor and address
    # (auditlog's middleware), the plain name of a clinical record (`registry`).
    pre_save.send(sender=LogEntry, instance=entry, raw=False, using="default", update_fields=None)
    return entry
