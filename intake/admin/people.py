"""Patients (contact details), and the clinic's sites and therapists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join

from audit.access import AccessAuditedAdminMixin
from intake.admin.presenters import triage_badge
from intake.models import Location, Patient, Therapist
from staff.roles import CLINICAL_PERMISSION


@admin.register(Patient)
class PatientAdmin(AccessAuditedAdminMixin, admin.ModelAdmin):
    """Contact details for everyone with access; the intakes only for clinical staff."""

    list_display = ("__str__", "date_of_birth", "phone", "email", "preferred_contact", "created_at")
    list_filter = ("preferred_contact",)
    search_fields = ("^last_name", "^first_name", "=phone", "=email")
    search_help_text = "The start of a name, or a phone number or e-mail (exact)."
    show_full_result_count = False
    contact_fields = (
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "preferred_contact",
        "preferred_language",
    )
    readonly_fields = ("requests", "intakes")

    def get_fields(self, request: HttpRequest, obj: Patient | None = None) -> tuple[str, ...]:
        if request.user.has_perm(CLINICAL_PERMISSION):
            return (*self.contact_fields, "requests", "intakes")
        return (*self.contact_fields, "requests")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # patients come with their intake

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Appointment requests")
    def requests(self, patient: Patient) -> str:
        rows = [
            (reverse("admin:intake_appointmentrequest_change", args=[r.pk]), r.reference, r)
            for r in patient.requests.all()
        ]
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> ({})',
                ((url, ref, r.get_status_display()) for url, ref, r in rows),
            )
            or "—"
        )

    @admin.display(description="Intakes")
    def intakes(self, patient: Patient) -> str:
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> {}',
                (
                    (
                        reverse("admin:intake_intake_change", args=[intake.pk]),
                        # Formatted here: format_html_join escapes each argument first, and
                        # an escaped string has no date format (the field showed only "-").
                        formats.date_format(timezone.localtime(intake.submitted_at), "j M Y"),
                        triage_badge(intake.triage),
                    )
                    for intake in patient.intakes.all()
                ),
            )
            or "—"
        )


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "phone", "is_active")
    list_filter = ("is_active",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a site with requests is kept; mark it inactive instead


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site_names", "accepting_new_patients", "on_call")
    list_filter = ("locations", "accepting_new_patients", "on_call")
    list_select_related = ("user",)
    filter_horizontal = ("locations", "specialties")
    search_fields = ("user__first_name", "user__last_name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Therapist]:
        return super().get_queryset(request).prefetch_related("locations")

    def get_fields(self, request: HttpRequest, obj: Therapist | None = None) -> tuple[str, ...]:
        fields: tuple[str, ...] = ("user", "locations", "accepting_new_patients", "on_call")
        # Specialties name condition categories, which the front desk has no need for.
        if request.user.has_perm(CLINICAL_PERMISSION):
            fields = (*fields, "specialties")
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Sites")
    def site_names(self, therapist: Therapist) -> str:
        return ", ".join(location.name for location in therapist.locations.all())
