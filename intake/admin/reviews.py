"""Therapists' reviews and referrals as lists, and the printable referral letter."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from audit.access import AccessAuditedAdminMixin, record_access
from intake.models import Referral, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: browse, never edit or delete here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(AccessAuditedAdminMixin, ReadOnlyAdmin):
    list_display = ("intake_reference", "reviewer", "prescreen_category", "agrees", "category")
    list_filter = ("agrees", "prescreen_category", "category")
    list_select_related = ("intake__request", "reviewer")
    search_fields = ("=intake__request__reference",)
    show_full_result_count = False

    @admin.display(description="Intake", ordering="intake__request__reference")
    def intake_reference(self, review: Review) -> str:
        return review.intake.request.reference


@admin.register(Referral)
class ReferralAdmin(AccessAuditedAdminMixin, ReadOnlyAdmin):
    list_display = ("intake_reference", "destination", "created_by", "created_at", "letter")
    list_filter = ("destination",)
    list_select_related = ("intake__request", "created_by")
    search_fields = ("=intake__request__reference",)
    show_full_result_count = False

    @admin.display(description="Intake", ordering="intake__request__reference")
    def intake_reference(self, referral: Referral) -> str:
        return referral.intake.request.reference

    @admin.display(description="Letter")
    def letter(self, referral: Referral) -> str:
        url = reverse("admin:intake_referral_letter", args=[referral.pk])
        return format_html('<a href="{}">Print the letter</a>', url)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="intake_referral_letter",
            ),
            *super().get_urls(),
        ]

    def letter_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The referral letter on its own page, laid out for printing."""
        if not request.user.has_perm("intake.view_referral"):
            raise PermissionDenied
        referral = get_object_or_404(
            Referral.objects.select_related(
                "intake__patient", "intake__request__location", "created_by"
            ),
            pk=pk,
        )
        record_access(instance=referral)
        return TemplateResponse(
            request,
            "intake/staff/referral_letter.html",
            {
                "referral": referral,
                "intake": referral.intake,
                "patient": referral.intake.patient,
                "location": referral.intake.request.location,
                "red_flags": referral.intake.prescreen.get("red_flags", []),
                "back_url": reverse("admin:intake_intake_change", args=[referral.intake_id]),
            },
        )
