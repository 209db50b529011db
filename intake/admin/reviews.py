"""Therapists' reviews and referrals as lists, and the printable referral letter."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import formats
from django.utils.html import format_html

from audit.access import AccessAuditedAdminMixin, record_access
from intake.admin import presenters
from intake.admin.exports import export_page
from intake.models import Referral, ReferralContact, ReferralStatus, Review, SentVia
from intake.selectors.exports import REFERRALS
from intake.services.referrals import referral_advance


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
    list_display = (
        "intake_reference",
        "destination",
        "contact",
        "status",
        "due_on",
        "created_by",
        "created_at",
        "letter",
    )
    list_filter = ("status", "destination")
    list_select_related = ("intake__request", "created_by", "contact")
    search_fields = ("=intake__request__reference",)
    show_full_result_count = False

    @admin.display(description="Intake", ordering="intake__request__reference")
    def intake_reference(self, referral: Referral) -> str:
        return referral.intake.request.reference

    @admin.display(description="Letter")
    def letter(self, referral: Referral) -> str:
        url = reverse("admin:intake_referral_letter", args=[referral.pk])
        return format_html('<a href="{}">Print the letter</a>', url)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        return export_page(self, request, REFERRALS)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="intake_referral_letter",
            ),
            path(
                "<int:pk>/advance/",
                self.admin_site.admin_view(self.advance_view),
                name="intake_referral_advance",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="intake_referral_export",
            ),
            *super().get_urls(),
        ]

    def advance_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Move a referral on (sent, acknowledged, seen, result received): a POST from the
        letter or the intake page; back to the intake page."""
        if not request.user.has_perm("intake.add_referral"):
            raise PermissionDenied
        referral = get_object_or_404(Referral, pk=pk)
        back = reverse("admin:intake_intake_change", args=[referral.intake_id])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            moved = referral_advance(
                referral=referral,
                to=request.POST.get("to", ""),
                via=request.POST.get("via", ""),
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            done = f"The referral is now {moved.get_status_display().lower()}"
            if moved.status == ReferralStatus.SENT and moved.due_on:
                done += f" ({moved.get_sent_via_display().lower()}); due back by "
                done += formats.date_format(moved.due_on, "D j M")
            self.message_user(request, done + ".", messages.SUCCESS)
        return HttpResponseRedirect(back)

    def letter_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The referral letter on its own page, laid out for printing."""
        if not request.user.has_perm("intake.view_referral"):
            raise PermissionDenied
        referral = get_object_or_404(
            Referral.objects.select_related(
                "intake__patient", "intake__request__location", "created_by", "contact"
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
                "knee": presenters.intake_knee(referral.intake),
                "signature": presenters.signature(referral.created_by),
                "ways_sent": SentVia.choices,
                "can_send": request.user.has_perm("intake.add_referral")
                and referral.status == ReferralStatus.DRAFT,
                "back_url": reverse("admin:intake_intake_change", args=[referral.intake_id]),
            },
        )


@admin.register(ReferralContact)
class ReferralContactAdmin(admin.ModelAdmin):
    """The directory of referral destinations: therapists add the addressees they write to."""

    list_display = ("name", "practice", "kind", "phone", "fax", "email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "practice")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # referrals name it; mark it inactive instead
