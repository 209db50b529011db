"""Recording that someone looked at a record, or at a list of records: a staff member, or
someone who is not a staff user (a system reading the API, a patient downloading their own
copy)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from audit.registry import record_name

# Where an entry keeps who read, when that was not a staff user.
ACTOR_KEY, HOW_KEY = "actor", "how"
# Where a list page's entry keeps what the list showed.
LIST_KEY = "list"
# A list's query string is staff input: kept, but bounded.
LIST_PARAMETERS_KEPT, LIST_VALUE_LIMIT = 20, 100


def record_access(*, instance: Model) -> None:
    """Add an "access" entry for ``instance`` to the trail.

    The actor and the client address come from the request being served
    (``audit.middleware.AuditMiddleware``). Call it from any staff view that shows one
    record: an admin change page, a printable letter.
    """
    if not auditlog.contains(type(instance)):
        raise ImproperlyConfigured(
            f"{type(instance).__name__} is not audited: declare it in its app's audited_models"
        )
    accessed.send(sender=type(instance), instance=instance)


def record_access_by(
    *, actor: str, instances: Iterable[Model], remote_addr: str | None = None, note: str = ""
) -> int:
    """Add one "access" entry per record to the trail, for a reader who is not a staff user:
    ``actor`` names them (a system client, "the patient"), ``note`` says how (an API read,
    a bulk export). Records of models that are not audited are skipped. Returns how many
    entries were written (in one insert, however many records)."""
    seen: set[tuple[type[Model], object]] = set()
    entries = []
    for instance in instances:
        model = type(instance)
        if not auditlog.contains(model) or (model, instance.pk) in seen:
            continue
        seen.add((model, instance.pk))
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(model),
                object_pk=str(instance.pk),
                object_id=instance.pk if isinstance(instance.pk, int) else None,
                object_repr=record_name(instance),
                action=LogEntry.Action.ACCESS,
                remote_addr=remote_addr,
                additional_data={ACTOR_KEY: actor, HOW_KEY: note} if note else {ACTOR_KEY: actor},
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def record_list_view(
    *,
    model: type[Model],
    shown: Iterable[Model],
    matched: int,
    parameters: Mapping[str, str],
    title: str = "",
) -> LogEntry:
    """Add one "access" entry for a list page of ``model``'s records: its filters, ordering
    and search (``parameters``, the query string), how many records ``matched`` them and
    which ones the page ``shown``, by number. A list shows names beside what they came for,
    so who saw it matters as much as who opened one record. The actor and address come from
    the request being served, as for ``record_access``. ``title`` names the page, when it is
    not the model's own list (an export)."""
    if not auditlog.contains(model):
        raise ImproperlyConfigured(
            f"{model.__name__} is not audited: declare it in its app's audited_models"
        )
    kept = list(parameters.items())[:LIST_PARAMETERS_KEPT]
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",  # no one record: the entry names the list
        object_repr=title or f"List of {model._meta.verbose_name_plural}",
        action=LogEntry.Action.ACCESS,
        additional_data={
            LIST_KEY: {
                "parameters": {
                    key[:LIST_VALUE_LIMIT]: value[:LIST_VALUE_LIMIT] for key, value in kept
                },
                "matched": matched,
                "shown": [str(instance.pk) for instance in shown],
            }
        },
    )


def list_summary(entry: LogEntry) -> str:
    """What a list page's entry says it showed ("" for an entry about one record)."""
    data = entry.additional_data
    listed = data.get(LIST_KEY) if isinstance(data, dict) else None
    if not isinstance(listed, dict):
        return ""
    parameters = ", ".join(f"{key}={value}" for key, value in listed["parameters"].items())
    summary = f"Listed {len(listed['shown'])} of {listed['matched']}"
    return f"{summary} ({parameters})" if parameters else summary


def entry_actor(entry: LogEntry) -> str:
    """Who read, and how, for a reader who is not a staff user ("" for staff entries)."""
    data = entry.additional_data
    if not isinstance(data, dict) or not data.get(ACTOR_KEY):
        return ""
    how = data.get(HOW_KEY)
    return f"{data[ACTOR_KEY]} ({how})" if how else str(data[ACTOR_KEY])


class AccessAuditedAdminMixin:
    """For a ModelAdmin: every successful view of a record's page, and of its list page, is
    recorded in the trail.

    Put it first in the bases: ``class IntakeAdmin(AccessAuditedAdminMixin, admin.ModelAdmin)``.
    A POST that saves is already recorded as a change; a POST that fails validation shows
    the record again, so it is recorded as a view.
    """

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        # A redirect (after an action, or for a filter the admin refuses) shows no list.
        changelist = getattr(response, "context_data", None) or {}
        if "cl" in changelist:
            listed = changelist["cl"]
            record_list_view(
                model=listed.model,
                shown=listed.result_list,  # the page's own rows, which the page then reuses
                matched=listed.result_count,
                parameters=request.GET,
            )
        return response

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,  # the admin's model, whichever it is
    ) -> HttpResponse:
        response = super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
        if obj is not None and obj.pk is not None:
            record_access(instance=obj)
        return response
