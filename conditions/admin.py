from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from conditions.models import ConditionCategory


@admin.register(ConditionCategory)
class ConditionCategoryAdmin(admin.ModelAdmin[ConditionCategory]):
    """Clinic managers edit the text; the seven categories and their codes are fixed."""

    list_display = ("name", "code", "display_order")
    list_editable = ("display_order",)
    readonly_fields = ("code",)
    fields = (
        "code",
        "name",
        "display_order",
        "patient_summary",
        "typical_signs",
        "clinician_notes",
        "how_therapy_helps",
        "referral_guidance",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ConditionCategory | None = None
    ) -> bool:
        return False
