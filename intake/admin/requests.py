"""The front-desk request board (the AppointmentRequest changelist) and the request's page.
Its moves (mark contacted, schedule, cancel) are in `request_pages`; the contact log on the
page is in `contact_log`; the insurance cards the patient sent, and the view serving every
document's file, in `documents`.

Contact and booking details, and each request's triage level (whom to call first: what
scheduling needs). The linked intake's answers, pre-screen, red flags and category are
shown to nobody here; users holding `intake.view_intake` follow the level to the intake.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from audit.access import AccessAuditedAdminMixin
from intake.admin import request_pages
from intake.admin.contact_log import contact_attempt_page, contact_log_context
from intake.admin.documents import document_page, document_rows
from intake.admin.exports import export_page
from intake.admin.filters import (
    AppointmentDayFilter,
    ContactMethodFilter,
    OverdueFilter,
    PreferredTimeFilter,
    StatusFilter,
)
from intake.admin.presenters import STAFF_CSS, appointment_label, preferred_times, triage_badge
from intake.models import (
    INSURANCE_CARD_PERMISSION,
    INSURANCE_KINDS,
    AppointmentRequest,
    ContactMethod,
    Patient,
    RequestStatus,
)
from intake.selectors.board import (
    request_board,
    request_board_order,
    request_is_overdue,
    request_patient_messages,
)
from intake.selectors.exports import REQUESTS
from intake.selectors.search import staff_search
from staff.roles import CLINICAL_PERMISSION

if TYPE_CHECKING:
    from intake.selectors.board import RequestWithTriage
    from notifications.models import Notification


def _language(patient: Patient) -> str:
    """ ", Spanish" for a patient whose language is not the clinic's own, else nothing."""
    if patient.preferred_language == settings.LANGUAGE_CODE:
        return ""
    return f", {patient.get_preferred_language_display()}"


def _preference(patient: Patient) -> str:
    """ "Prefers text message, Spanish (agreed to texts)": how to reach the patient, and in
    which language, at a glance."""
    said = f"Prefers {patient.get_preferred_contact_display().lower()}{_language(patient)}"
    if patient.sms_consent:
        return f"{said} (agreed to texts)"
    if patient.sms_consent_at is not None:
        return f"{said} (replied STOP to our texts)"
    return said


def _delivery(notification: Notification) -> str:
    """Where a message stands, in the front desk's words."""
    if notification.status == "failed":
        copy = notification.replacements.first()
        return f"failed ({notification.last_error})" + (
            f"; sent by e-mail instead to {copy.recipient}" if copy is not None else ""
        )
    if notification.receipt:
        return f"{notification.get_status_display().lower()}, {notification.receipt}"
    return notification.get_status_display().lower()


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(AccessAuditedAdminMixin, admin.ModelAdmin):
    """The board: who to call, where, when they can come, how to reach them."""

    change_form_template = "admin/intake/appointmentrequest/change_form.html"
    list_display = (
        "reference",
        "patient_name",
        "triage_column",
        "status_column",
        "location",
        "times",
        "contact",
        "received",
        "appointment",
    )
    list_filter = (
        StatusFilter,
        OverdueFilter,
        AppointmentDayFilter,
        "location",
        PreferredTimeFilter,
        ContactMethodFilter,
    )
    search_fields = ("reference", "patient__last_name", "patient__first_name", "patient__email")
    search_help_text = "A reference (K7P3-QX9M), an e-mail address, or the start of the names."
    show_full_result_count = False
    list_per_page = 50
    actions = (
        request_pages.mark_contacted,
        request_pages.schedule,
        request_pages.cancel,
        request_pages.mark_no_response,
    )
    fieldsets = (
        ("Patient", {"fields": ("patient_link", "patient_contact")}),
        (
            "Request",
            {
                "fields": (
                    "reference",
                    "location",
                    "times",
                    "therapist_preference",
                    "notes",
                )
            },
        ),
        (
            "Referral and payment",
            {
                "fields": (
                    "referral_source",
                    "referrer_name",
                    "referrer_practice",
                    "referrer_email",
                    "referrer_may_be_told",
                    "payment",
                    "insurance_provider",
                    "insurance_member_number",
                )
            },
        ),
        (
            "Status",
            {"fields": ("triage_level", "status", "appointment", "cancel_reason", "received")},
        ),
        ("Messages", {"fields": ("patient_messages",)}),
    )
    readonly_fields = (
        "triage_level",
        "patient_link",
        "patient_contact",
        "reference",
        "location",
        "times",
        "notes",
        "referral_source",
        # The patient's consent: only they give it.
        "referrer_may_be_told",
        "payment",
        "status",
        "appointment",
        "cancel_reason",
        "received",
        "patient_messages",
    )

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet[AppointmentRequest]:
        return request_board()

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        return list(
            request_board_order(
                request.GET.get(StatusFilter.parameter_name) or StatusFilter.default,
                searching=bool(request.GET.get(SEARCH_VAR, "").strip()),
            )
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AppointmentRequest], search_term: str
    ) -> tuple[QuerySet[AppointmentRequest], bool]:
        found = staff_search(
            queryset, search_term, reference_field="reference", patient_path="patient__"
        )
        return found, False

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if request.user.has_perm(CLINICAL_PERMISSION):
            # Clinical staff follow the level to the intake.
            return tuple(
                "triage_link" if name == "triage_column" else name for name in self.list_display
            )
        return self.list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests only come from patients

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cancel instead: the history stays

    # --- columns ---

    @admin.display(description="Patient", ordering="patient__last_name")
    def patient_name(self, appointment_request: AppointmentRequest) -> str:
        return str(appointment_request.patient)

    @admin.display(description="Patient")
    def patient_link(self, appointment_request: AppointmentRequest) -> str:
        url = reverse("admin:intake_patient_change", args=[appointment_request.patient_id])
        return format_html('<a href="{}">{}</a>', url, appointment_request.patient)

    @admin.display(description="Contact")
    def patient_contact(self, appointment_request: AppointmentRequest) -> str:
        patient = appointment_request.patient
        return format_html("{} · {} · {}", _preference(patient), patient.phone, patient.email)

    @admin.display(description="Messages to the patient")
    def patient_messages(self, appointment_request: AppointmentRequest) -> str:
        rows = [
            (
                notification.get_kind_display(),
                notification.get_channel_display(),
                _delivery(notification),
            )
            for notification in request_patient_messages(appointment_request)
        ]
        if not rows:
            return "None"
        return format_html_join("", "<div>{}: {}, {}</div>", rows)

    @admin.display(description="Status", ordering="status")
    def status_column(self, appointment_request: AppointmentRequest) -> str:
        badge = format_html(
            '<span class="status-badge status-{}">{}</span>',
            appointment_request.status,
            appointment_request.get_status_display(),
        )
        if request_is_overdue(appointment_request):
            badge = format_html(
                '{} <span class="status-badge status-overdue">{}</span>',
                badge,
                "Over 1 business day",
            )
        return badge

    @admin.display(description="Preferred times")
    def times(self, appointment_request: AppointmentRequest) -> str:
        return preferred_times(appointment_request)

    @admin.display(description="Contact by", ordering="patient__preferred_contact")
    def contact(self, appointment_request: RequestWithTriage) -> str:
        patient = appointment_request.patient
        how = patient.get_preferred_contact_display()
        reach = patient.email if patient.preferred_contact == ContactMethod.EMAIL else patient.phone
        if getattr(appointment_request, "call_owed", False):
            return format_html(
                '{}{}: {} <span class="status-badge status-overdue">Call the patient</span>',
                how,
                _language(patient),
                reach,
            )
        return f"{how}{_language(patient)}: {reach}"

    @admin.display(description="Received", ordering="created_at")
    def received(self, appointment_request: AppointmentRequest) -> str:
        return f"{timesince(appointment_request.created_at, depth=1)} ago"

    @admin.display(description="Appointment", ordering="scheduled_at")
    def appointment(self, appointment_request: AppointmentRequest) -> str:
        label = appointment_label(appointment_request)
        if not label:
            return "—"
        if appointment_request.status != RequestStatus.SCHEDULED:
            return label
        # To the appointment on the scheduling calendar, where it is moved or cancelled.
        url = reverse(settings.REQUEST_SCHEDULE_URL_NAME, args=[appointment_request.pk])
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="Triage", ordering="triage_rank")
    def triage_column(self, appointment_request: RequestWithTriage) -> str:
        return triage_badge(appointment_request.intake_triage)

    @admin.display(description="Triage", ordering="triage_rank")
    def triage_link(self, appointment_request: RequestWithTriage) -> str:
        url = reverse("admin:intake_intake_change", args=[appointment_request.intake_id])
        return format_html(
            '<a href="{}">{}</a>', url, triage_badge(appointment_request.intake_triage)
        )

    @admin.display(description="Triage")
    def triage_level(self, appointment_request: RequestWithTriage) -> str:
        return triage_badge(appointment_request.intake_triage)

    # --- the request's pages ---

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        pages = {
            "schedule": request_pages.schedule_page,
            "cancel": request_pages.cancel_page,
            "contacted": request_pages.contacted_page,
            "attempt": contact_attempt_page,
        }
        return [
            *(
                path(
                    f"<int:pk>/{name}/",
                    wrap(partial(page, self)),
                    name=f"intake_appointmentrequest_{name}",
                )
                for name, page in pages.items()
            ),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                wrap(partial(document_page, self)),
                name="intake_appointmentrequest_document",
            ),
            path("export/", wrap(self.export_view), name="intake_appointmentrequest_export"),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        return export_page(self, request, REQUESTS)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        original = context.get("original")
        if original is not None:
            context.update(contact_log_context(self, request, original))
            # The insurance cards; the referral letters are on the intake's page.
            context["documents"] = document_rows(request, original, INSURANCE_KINDS)
            context["can_see_cards"] = request.user.has_perm(INSURANCE_CARD_PERMISSION)
        return super().render_change_form(request, context, *args, **kwargs)
