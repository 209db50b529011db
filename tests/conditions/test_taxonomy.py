from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from conditions.categories import Category, Triage
from conditions.models import ConditionCategory

TEXT_FIELDS = (
    "name",
    "patient_summary",
    "clinician_notes",
    "typical_signs",
    "how_therapy_helps",
    "referral_guidance",
)


@pytest.mark.django_db
def test_the_migration_seeds_the_seven_categories_with_text() -> None:
    categories = list(ConditionCategory.objects.all())
    assert [category.code for category in categories] == list(Category)
    for category in categories:
        for field in TEXT_FIELDS:
            assert getattr(category, field).strip(), f"{category.code}.{field} is empty"


def test_admin_cannot_add_or_delete_categories() -> None:
    model_admin = admin.site._registry[ConditionCategory]
    request = RequestFactory().get("/admin/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, ConditionCategory(code="gait"))


def test_admin_shows_the_code_read_only() -> None:
    model_admin = admin.site._registry[ConditionCategory]
    assert "code" in model_admin.get_readonly_fields(RequestFactory().get("/admin/"))


def test_triage_levels_order_by_severity() -> None:
    assert Triage.ROUTINE < Triage.URGENT < Triage.EMERGENCY
    assert max(Triage) == Triage.EMERGENCY
    assert sorted(Triage, reverse=True) == [Triage.EMERGENCY, Triage.URGENT, Triage.ROUTINE]
