"""Red-flag alerts for clinical staff: the list of alerts, and the acknowledge, contact and
close actions the intake page offers (and the e-mail's signed link lands on). Only users
holding `intake.view_redflagalert` reach any of it; acting takes `change_redflagalert`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from audit.access import AccessAuditedAdminMixin, record_access
from intake.admin.filters import AlertStateFilter
from intake.admin.presenters import STAFF_CSS, alert_badge, triage_badge
from intake.alert_links import alert_pk_for_token
from intake.models import AlertStatus, ContactOutcome, RedFlagAlert
from intake.selectors.alerts import alert_list
from intake.services.alerts import alert_acknowledge, alert_close, alert_record_contact
from staff.roles import staff_member

CHANGE_PERMISSION = "intake.change_redflagalert"


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did the contact end?", choices=[("", "—"), *ContactOutcome.choices]
    )


def intake_page(alert: RedFlagAlert) -> str:
    return reverse("admin:intake_intake_change", args=[alert.intake_id])


@admin.register(RedFlagAlert)
class RedFlagAlertAdmin(AccessAuditedAdminMixin, admin.ModelAdmin):
    """The alerts still open (by default), newest first; each is acted on from its intake."""

    list_display = (
        "reference",
        "patient_name",
        "level_column",
        "status_column",
        "raised",
        "acknowledgement",
        "outcome",
        "steps_sent",
    )
    list_display_links = None
    list_filter = (AlertStateFilter, "level")
    show_full_result_count = False
    list_per_page = 50

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet[RedFlagAlert]:
        return alert_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # raised by submissions only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an alert's history is kept

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # An alert is read and acted on with its intake, on the intake's page.
        alert = get_object_or_404(self.get_queryset(request), pk=_number(object_id))
        if not self.has_view_permission(request, alert):
            raise PermissionDenied
        return HttpResponseRedirect(intake_page(alert))

    # --- columns ---

    @admin.display(description="Reference")
    def reference(self, alert: RedFlagAlert) -> str:
        return format_html('<a href="{}">{}</a>', intake_page(alert), alert.intake.request)

    @admin.display(description="Patient", ordering="intake__patient__last_name")
    def patient_name(self, alert: RedFlagAlert) -> str:
        return str(alert.intake.patient)

    @admin.display(description="Level", ordering="level")
    def level_column(self, alert: RedFlagAlert) -> str:
        return triage_badge(alert.level)

    @admin.display(description="Status", ordering="status")
    def status_column(self, alert: RedFlagAlert) -> str:
        return alert_badge(alert)

    @admin.display(description="Raised", ordering="raised_at")
    def raised(self, alert: RedFlagAlert) -> str:
        return f"{timesince(alert.raised_at, depth=1)} ago"

    @admin.display(description="Acknowledged", ordering="acknowledged_at")
    def acknowledgement(self, alert: RedFlagAlert) -> str:
        if alert.acknowledged_at is None or alert.acknowledged_by is None:
            return "—"
        after = timesince(alert.raised_at, alert.acknowledged_at, depth=1)
        who = alert.acknowledged_by.get_full_name() or alert.acknowledged_by.get_username()
        return f"{who}, after {after}"

    @admin.display(description="Contact outcome")
    def outcome(self, alert: RedFlagAlert) -> str:
        return alert.get_contact_outcome_display() or "—"

    # --- acting on one alert ---

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "acknowledge/<str:token>/",
                wrap(self.acknowledge_link_view),
                name="intake_redflagalert_acknowledge_link",
            ),
            path(
                "<int:pk>/acknowledge/",
                wrap(self.acknowledge_view),
                name="intake_redflagalert_acknowledge",
            ),
            path(
                "<int:pk>/contact/",
                wrap(require_POST(self.contact_view)),
                name="intake_redflagalert_contact",
            ),
            path(
                "<int:pk>/close/",
                wrap(require_POST(self.close_view)),
                name="intake_redflagalert_close",
            ),
            *super().get_urls(),
        ]

    def _alert_for(self, request: HttpRequest, pk: int) -> RedFlagAlert:
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def acknowledge_link_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """Where the alert e-mail's link lands (after sign-in): the acknowledge page."""
        pk = alert_pk_for_token(token)
        if pk is None:
            raise Http404("This acknowledge link is not valid. Open the alert from its intake.")
        return self._acknowledge(request, self._alert_for(request, pk))

    def acknowledge_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._acknowledge(request, self._alert_for(request, pk))

    def _acknowledge(self, request: HttpRequest, alert: RedFlagAlert) -> HttpResponse:
        """GET asks (a link opened by a mail scanner acknowledges nothing); POST acknowledges."""
        if request.method == "POST":
            try:
                alert_acknowledge(alert=alert, user=staff_member(request))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(
                    request,
                    "You acknowledged the alert: nobody else will be alerted. Contact the "
                    "patient, then record how it went.",
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(intake_page(alert))
        record_access(instance=alert)
        return TemplateResponse(
            request,
            "admin/intake/redflagalert/acknowledge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Red-flag alert for {alert.intake.request}",
                "alert": alert,
                "level_badge": triage_badge(alert.level),
                "raised_ago": timesince(alert.raised_at, timezone.now(), depth=2),
                "is_raised": alert.status == AlertStatus.RAISED,
                "intake_url": intake_page(alert),
                "action_url": request.path,
                "media": self.media,
            },
        )

    def contact_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = self._alert_for(request, pk)
        form = ContactForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose how the contact ended.", messages.ERROR)
            return HttpResponseRedirect(intake_page(alert))
        try:
            alert_record_contact(
                alert=alert, user=staff_member(request), outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                f"Contact recorded: {alert.get_contact_outcome_display().lower()}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(intake_page(alert))

    def close_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = self._alert_for(request, pk)
        try:
            alert_close(alert=alert, user=staff_member(request))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "The alert is closed.", messages.SUCCESS)
        return HttpResponseRedirect(intake_page(alert))


def _number(object_id: str) -> int:
    if not object_id.isdigit():
        raise Http404
    return int(object_id)
