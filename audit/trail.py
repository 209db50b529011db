"""What the audit trail records: the models whose changes and views it keeps, and which of
their fields are clinical (the trail names such a field when it changes, never its value)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db.models.signals import pre_save


@dataclass(frozen=True)
class Tracked:
    model: str
    # Clinical fields: a change is recorded as "(hidden) -> (hidden)".
    clinical: tuple[str, ...] = ()
    # The model's str() carries clinical detail (a triage level, a referral destination),
    # so entries name the record by kind and number instead.
    plain_name: bool = False


TRACKED = (
    Tracked("intake.Patient"),
    Tracked(
        "intake.Intake",
        clinical=("answers", "prescreen", "triage", "top_category", "needs_review"),
        plain_name=True,
    ),
    # Patients may describe their knee in the request's free-text notes.
    Tracked("intake.AppointmentRequest", clinical=("notes", "insurance_member_number")),
    Tracked("intake.Therapist"),
    Tracked("intake.Location"),
    Tracked(
        "intake.Review",
        clinical=("prescreen_category", "agrees", "category", "note"),
        plain_name=True,
    ),
    Tracked("intake.Referral", clinical=("destination", "reason", "impression"), plain_name=True),
    Tracked("intake.Notification"),
    Tracked("conditions.ConditionCategory"),
    Tracked("auth.User", clinical=("password",)),
    Tracked("auth.Group"),
)

_PLAIN_NAMED: set[tuple[str, str]] = set()


def register_models() -> None:
    """Register every tracked model with auditlog (called once, from ``AuditConfig.ready``)."""
    for tracked in TRACKED:
        model = apps.get_model(tracked.model)
        m2m = {field.name for field in model._meta.many_to_many}
        auditlog.register(model, mask_fields=list(tracked.clinical), m2m_fields=m2m)
        if tracked.plain_name:
            _PLAIN_NAMED.add((model._meta.app_label, model._meta.model_name))
    pre_save.connect(_name_record_plainly, sender=LogEntry, dispatch_uid="audit-plain-name")


def _name_record_plainly(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    content_type = instance.content_type
    if (content_type.app_label, content_type.model) in _PLAIN_NAMED:
        verbose_name = content_type.model_class()._meta.verbose_name
        instance.object_repr = f"{verbose_name.capitalize()} {instance.object_pk}"
