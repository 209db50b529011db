"""Which models the audit trail keeps, as each app declares them.

An app lists its audited models on its ``AppConfig`` as data, so the trail knows no app and
an app need not import this one::

    class IntakeConfig(AppConfig):
        audited_models = {
            "intake.Intake": {"masked": ("answers", "prescreen"), "plain_name": True},
        }

- ``masked``: fields whose value never enters the trail (clinical content, secrets); a
  change is recorded as "(hidden) -> (hidden)", so the entry still says what changed.
- ``plain_name``: the model's ``str()`` carries clinical detail (a triage level, a referral
  destination), so entries name the record by kind and number instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.apps import apps
from django.db.models import Model
from django.db.models.signals import pre_save

from audit import creations


class AuditOptions(TypedDict, total=False):
    masked: tuple[str, ...]
    plain_name: bool


_TRACKED: list[type[Model]] = []
_PLAIN_NAMED: set[tuple[str, str]] = set()


def declared_models() -> dict[str, AuditOptions]:
    """Every app's ``audited_models``, keyed by model label ("app_label.Model")."""
    declared: dict[str, AuditOptions] = {}
    for config in apps.get_app_configs():
        models: Mapping[str, AuditOptions] = getattr(config, "audited_models", {})
        declared.update(models)
    return declared


def register_declared_models() -> None:
    """Register every declared model with auditlog (once, from ``AuditConfig.ready``)."""
    for label, options in declared_models().items():
        model = apps.get_model(label)
        creations.MASKED[model._meta.label] = frozenset(options.get("masked", ()))
        m2m = [field.name for field in model._meta.many_to_many]
        auditlog.register(model, mask_fields=list(options.get("masked", ())), m2m_fields=m2m)
        _TRACKED.append(model)
        if options.get("plain_name"):
            _PLAIN_NAMED.add((model._meta.app_label, model._meta.model_name or ""))
    pre_save.connect(_name_record_plainly, sender=LogEntry, dispatch_uid="audit-plain-name")
    pre_log.connect(creations.hold_back_creation, dispatch_uid="audit-creations-together")


def tracked_models() -> list[type[Model]]:
    """The models the trail keeps, in the order their apps are installed."""
    return list(_TRACKED)


def record_name(instance: Model) -> str:
    """How the trail names a record: by kind and number when its ``str()`` is clinical."""
    meta = instance._meta
    if (meta.app_label, meta.model_name or "") in _PLAIN_NAMED:
        return f"{str(meta.verbose_name).capitalize()} {instance.pk}"
    return str(instance)


def _name_record_plainly(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    content_type = instance.content_type
    # A list page's entry (no one record) is already named for the list.
    if instance.object_pk and (content_type.app_label, content_type.model) in _PLAIN_NAMED:
        verbose_name = content_type.model_class()._meta.verbose_name
        instance.object_repr = f"{verbose_name.capitalize()} {instance.object_pk}"
