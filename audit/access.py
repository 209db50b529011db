"""Recording that a staff member looked at a record."""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse


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


class AccessAuditedAdminMixin:
    """For a ModelAdmin: every successful view of a record's page is recorded in the trail.

    Put it first in the bases: ``class IntakeAdmin(AccessAuditedAdminMixin, admin.ModelAdmin)``.
    A POST that saves is already recorded as a change; a POST that fails validation shows
    the record again, so it is recorded as a view.
    """

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
