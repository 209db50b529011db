"""The front-desk request board (the AppointmentRequest changelist) and its actions.

Contact and booking details, and each request's triage level (whom to call first: what
scheduling needs). The linked intake's answers, pre-screen, red flags and category are
shown to nobody here; users holding `intake.view_intake` follow the level to the intake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from audit.access import AccessAuditedAdminMixin
from intake.admin.exports import export_page
from intake.admin.filters import (
    AppointmentDayFilter,
    ContactMethodFilter,
    OverdueFilter,
    PreferredTimeFilter,
    StatusFilter,
)
from intake.admin.presenters import STAFF_CSS, appointment_label, triage_badge
from intake.models import (
    CANCEL_REASON_LIMIT,
    AppointmentRequest,
    ContactMethod,
    Patient,
    RequestStatus,
    TimeOfDay,
)
from intake.selectors.board import (
    request_board,
    request_board_order,
    request_call_tasks,
    request_is_overdue,
    request_patient_messages,
)
from intake.selectors.exports import REQUESTS
from intake.selectors.search import staff_search
from intake.services.contact import call_tasks_done
from intake.services.requests import (
    request_cancel,
    request_mark_contacted,
    request_mark_no_response,
)
from staff.roles import CLINICAL_PERMISSION, staff_member

if TYPE_CHECKING:
    from intake.selectors.board import RequestWithTriage
    from notifications.models import Notification


def _preference(patient: Patient) -> str:
    """ "Prefers text message (agreed to texts)": how to reach the patient, at a glance."""
    said = f"Prefers {patient.get_preferred_contact_display().lower()}"
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


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=CANCEL_REASON_LIMIT,
        help_text="The patient is told this reason.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


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
    actions = ("mark_contacted", "schedule", "cancel", "mark_no_response")
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
        ("Messages and calls", {"fields": ("calls_owed", "patient_messages")}),
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
        "payment",
        "status",
        "appointment",
        "cancel_reason",
        "received",
        "calls_owed",
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
        return format_html(
            "{} · {} · {} · {}",
            _preference(patient),
            patient.phone,
            patient.email,
            patient.preferred_language,
        )

    @admin.display(description="Calls to make")
    def calls_owed(self, appointment_request: AppointmentRequest) -> str:
        tasks = request_call_tasks(appointment_request)
        if not tasks:
            return "None: the patient is written to."
        return format_html_join(
            "",
            "<div>{}</div>",
            (
                (
                    f"Call the patient: {task.what}"
                    if task.done_at is None
                    else f"Done: {task.what} ({task.done_by or 'staff'}, "
                    f"{timezone.localtime(task.done_at):%b %d %H:%M})",
                )
                for task in tasks
            ),
        )

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
        labels = dict(TimeOfDay.choices)
        return (
            ", ".join(labels.get(code, code) for code in appointment_request.preferred_times)
            or "Any"
        )

    @admin.display(description="Contact by", ordering="patient__preferred_contact")
    def contact(self, appointment_request: RequestWithTriage) -> str:
        patient = appointment_request.patient
        how = patient.get_preferred_contact_display()
        reach = patient.email if patient.preferred_contact == ContactMethod.EMAIL else patient.phone
        if getattr(appointment_request, "call_owed", False):
            return format_html(
                '{}: {} <span class="status-badge status-overdue">Call the patient</span>',
                how,
                reach,
            )
        return f"{how}: {reach}"

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

    # --- actions ---

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Any, done: str) -> None:
        moved = 0
        for appointment_request in queryset:
            try:
                service(appointment_request=appointment_request)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} request(s) {done}.", messages.SUCCESS)

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, request_mark_contacted, "marked contacted")

    @admin.action(description="Mark no response", permissions=["change"])
    def mark_no_response(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, request_mark_no_response, "marked no response")

    def _one(self, request: HttpRequest, queryset: QuerySet, view: str) -> HttpResponse | None:
        ids = list(queryset.values_list("pk", flat=True)[:2])
        if len(ids) != 1:
            self.message_user(request, "Select exactly one request for this.", messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(f"admin:intake_appointmentrequest_{view}", args=ids))

    @admin.action(description="Schedule…", permissions=["change"])
    def schedule(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._one(request, queryset, "schedule")

    @admin.action(description="Cancel with a reason…", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._one(request, queryset, "cancel")

    # --- the schedule and cancel pages ---

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/schedule/",
                wrap(self.schedule_view),
                name="intake_appointmentrequest_schedule",
            ),
            path(
                "<int:pk>/cancel/", wrap(self.cancel_view), name="intake_appointmentrequest_cancel"
            ),
            path(
                "<int:pk>/called/",
                wrap(self.called_view),
                name="intake_appointmentrequest_called",
            ),
            path(
                "<int:pk>/contacted/",
                wrap(self.contacted_view),
                name="intake_appointmentrequest_contacted",
            ),
            path(
                "export/",
                wrap(self.export_view),
                name="intake_appointmentrequest_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        return export_page(self, request, REQUESTS)

    def _request_for(self, request: HttpRequest, pk: int) -> AppointmentRequest:
        appointment_request = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, appointment_request):
            raise PermissionDenied
        return appointment_request

    def _form_page(
        self,
        request: HttpRequest,
        appointment_request: AppointmentRequest,
        form: forms.Form,
        title: str,
        submit: str,
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/intake/appointmentrequest/action_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": appointment_request,
                "title": title,
                "form": form,
                "submit": submit,
                "preferred_times": self.times(appointment_request),
                "media": self.media + form.media,
                "change_url": reverse(
                    "admin:intake_appointmentrequest_change", args=[appointment_request.pk]
                ),
            },
        )

    def _done(self, request: HttpRequest, message: str) -> HttpResponseRedirect:
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:intake_appointmentrequest_changelist"))

    def schedule_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Booking is picking a free time on the scheduling calendar (named by URL: intake
        does not import scheduling)."""
        appointment_request = self._request_for(request, pk)
        return HttpResponseRedirect(
            reverse(settings.REQUEST_SCHEDULE_URL_NAME, args=[appointment_request.pk])
        )

    def contacted_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """ "Mark contacted" from the request page (a POST); back to the request page."""
        appointment_request = self._request_for(request, pk)
        back = reverse("admin:intake_appointmentrequest_change", args=[appointment_request.pk])
        if request.method == "POST":
            try:
                request_mark_contacted(appointment_request=appointment_request)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{appointment_request.reference} is marked contacted.",
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(back)

    def called_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """ "Calls made" from the request page (a POST): every call owed is done."""
        appointment_request = self._request_for(request, pk)
        back = reverse("admin:intake_appointmentrequest_change", args=[appointment_request.pk])
        if request.method == "POST":
            done = call_tasks_done(
                appointment_request=appointment_request, user=staff_member(request)
            )
            self.message_user(
                request,
                f"{done} call{'s' if done != 1 else ''} marked done for "
                f"{appointment_request.reference}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(back)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        original = context.get("original")
        context["call_owed"] = original is not None and any(
            task.done_at is None for task in request_call_tasks(original)
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def cancel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment_request = self._request_for(request, pk)
        form = CancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                request_cancel(
                    appointment_request=appointment_request, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self._done(
                    request,
                    f"{appointment_request.reference} is cancelled; the patient will be told.",
                )
        return self._form_page(
            request,
            appointment_request,
            form,
            f"Cancel {appointment_request.reference} ({appointment_request.patient})",
            "Cancel the request",
        )
