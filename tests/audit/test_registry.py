"""What each app declares for the trail: a misspelt masked field would leave the real one in
the clear, so every declaration is checked against the models."""

from __future__ import annotations

import pytest
from auditlog.registry import auditlog
from django.apps import apps

from audit.registry import declared_models, tracked_models


@pytest.mark.parametrize(("label", "options"), declared_models().items())
def test_every_masked_field_exists_on_its_model(label, options):  # type: ignore[no-untyped-def]
    model = apps.get_model(label)
    field_names = {field.name for field in model._meta.get_fields()}
    assert set(options.get("masked", ())) <= field_names


def test_every_declared_model_is_in_the_trail() -> None:
    tracked = tracked_models()
    for label in declared_models():
        model = apps.get_model(label)
        assert model in tracked
        assert auditlog.contains(model)


def test_clinical_answers_are_declared_masked() -> None:
    assert {"answers", "prescreen", "knee_notes"} <= set(
        declared_models()["intake.Intake"]["masked"]
    )
