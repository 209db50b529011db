"""The staff pages of scheduling: the availability the clinic declares, and the front desk's
calendar, where a request's appointment is booked, moved or cancelled by picking a free time
and the visit's outcome is recorded. Names, times and sites only: nothing clinical."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from intake.admin.presenters import STAFF_CSS
from intake.announcements import appointment_time_text
from intake.models import AppointmentRequest, Location, Therapist
from scheduling.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Closure,
    SiteBooking,
    SiteHours,
    TimeOff,
    WorkingHours,
)
from scheduling.selectors import booked_appointment, initial_assessment, site_calendar
from scheduling.services import (
    OUTCOMES,
    appointment_book,
    appointment_move,
    appointment_record_outcome,
)
from staff.input_guard import bounded_date


@admin.register(SiteHours)
class SiteHoursAdmin(admin.ModelAdmin):
    list_display = ("location", "weekday", "starts", "ends")
    list_filter = ("location", "weekday")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("day", "name", "location")
    list_filter = ("location",)
    date_hierarchy = "day"


@admin.register(SiteBooking)
class SiteBookingAdmin(admin.ModelAdmin):
    list_display = ("location", "self_booking")


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("therapist", "location", "weekday", "starts", "ends")
    list_filter = ("location", "therapist", "weekday")
    list_select_related = ("therapist__user", "location")


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("therapist", "starts_at", "ends_at", "reason")
    list_filter = ("therapist",)
    list_select_related = ("therapist__user",)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "minutes", "buffer_minutes")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # appointments keep their kind


def _day(text: str) -> date:
    """The day a calendar page opens on (today unless a sensible one is asked for)."""
    try:
        day = date.fromisoformat(text) if text else timezone.localdate()
        bounded_date(day)
    except (ValidationError, ValueError):
        return timezone.localdate()
    return day


class CalendarForm(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), label="Site"
    )
    day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), required=False, validators=[bounded_date]
    )
    view = forms.ChoiceField(choices=[("day", "Day"), ("week", "Week")], required=False)


class AppointmentTypeForm(forms.Form):
    """The kind of visit the front desk is booking: the free times follow its length and
    buffer. Read from the page's address (``?type=follow_up``) and each slot's button."""

    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.all(),
        to_field_name="code",
        empty_label=None,
        label="Appointment type",
    )


def _appointment_type(data: Any) -> AppointmentType | None:
    """The kind asked for, or None when none (or an unknown one) is."""
    form = AppointmentTypeForm(data)
    return form.cleaned_data["appointment_type"] if form.is_valid() else None


class BookForm(forms.Form):
    """What a free slot's button posts: the therapist, the start (ISO 8601 with offset) and
    the kind of visit."""

    starts_at = forms.DateTimeField(validators=[bounded_date])
    therapist = forms.ModelChoiceField(queryset=Therapist.objects.none())
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.all(), to_field_name="code", required=False
    )

    def __init__(self, *args: Any, location_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapist = self.fields["therapist"]
        assert isinstance(therapist, forms.ModelChoiceField)
        therapist.queryset = Therapist.objects.filter(locations=location_id).select_related("user")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(s.value, s.label) for s in OUTCOMES])


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Appointments are made on the calendar, never typed in: the list is for finding one."""

    list_display = ("starts_at", "request_link", "patient", "therapist", "location", "status")
    list_filter = ("status", "location", "therapist")
    list_select_related = ("request__patient", "therapist__user", "location")
    date_hierarchy = "starts_at"
    search_fields = ("request__reference",)
    show_full_result_count = False
    readonly_fields = (
        "request_link",
        "patient",
        "therapist",
        "location",
        "appointment_type",
        "starts_at",
        "ends_at",
        "status",
        "booked_by_patient",
        "created_at",
    )
    fields = readonly_fields
    change_form_template = "admin/scheduling/appointment/change_form.html"

    class Media:
        css = STAFF_CSS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Request")
    def request_link(self, appointment: Appointment) -> str:
        url = reverse("admin:intake_appointmentrequest_change", args=[appointment.request_id])
        return format_html('<a href="{}">{}</a>', url, appointment.request.reference)

    @admin.display(description="Patient")
    def patient(self, appointment: Appointment) -> str:
        return str(appointment.request.patient)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(self.calendar_view), name="scheduling_appointment_calendar"),
            path(
                "book/<int:request_pk>/",
                wrap(self.book_view),
                name="scheduling_appointment_book",
            ),
            path(
                "<int:pk>/outcome/",
                wrap(self.outcome_view),
                name="scheduling_appointment_outcome",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        appointment = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if appointment is not None:
            extra["outcome_form"] = OutcomeForm()
            extra["can_record"] = appointment.status == AppointmentStatus.BOOKED and (
                self.has_change_permission(request, appointment)
            )
        return super().change_view(request, object_id, form_url, extra)

    # --- the calendar ---

    def _calendar_context(
        self,
        request: HttpRequest,
        *,
        location: Location,
        first_day: date,
        days: int,
        moving: Appointment | None = None,
        booking: AppointmentRequest | None = None,
        kind: AppointmentType | None = None,
    ) -> dict[str, Any]:
        kind = kind or (moving.appointment_type if moving else initial_assessment())
        calendar = site_calendar(
            location_id=location.pk,
            first_day=first_day,
            days=days,
            appointment_type=kind,
            moving=moving,
        )
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "calendar": calendar,
            "location": location,
            "first_day": first_day,
            "days": days,
            "previous_day": first_day - timedelta(days=days),
            "next_day": first_day + timedelta(days=days),
            "booking": booking,
            "moving": moving,
            "media": self.media,
            "can_change": self.has_change_permission(request),
        }

    def calendar_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = CalendarForm(request.GET or None)
        location = None
        first_day = timezone.localdate()
        view = "day"
        if form.is_valid():
            location = form.cleaned_data["location"]
            first_day = form.cleaned_data["day"] or first_day
            view = form.cleaned_data["view"] or "day"
        else:
            location = Location.objects.filter(is_active=True).first()
            form = CalendarForm(initial={"location": location, "day": first_day, "view": view})
        if location is None:
            raise PermissionDenied  # no site to show
        days = 7 if view == "week" else 1
        if view == "week":
            first_day -= timedelta(days=first_day.weekday())
        context = self._calendar_context(request, location=location, first_day=first_day, days=days)
        context.update({"title": f"Calendar: {location}", "form": form, "view": view})
        return TemplateResponse(request, "admin/scheduling/calendar.html", context)

    def book_view(self, request: HttpRequest, request_pk: int) -> HttpResponse:
        """Pick a free time for a request (or a new one for its appointment); POST books."""
        appointment_request = get_object_or_404(
            AppointmentRequest.objects.select_related("location", "patient"), pk=request_pk
        )
        if not (
            self.has_add_permission_for_booking(request)
            and request.user.has_perm("intake.change_appointmentrequest")
        ):
            raise PermissionDenied
        moving = booked_appointment(appointment_request)
        if request.method == "POST":
            outcome = self._book_posted(request, appointment_request, moving)
            if outcome is not None:
                return outcome
        first_day = _day(request.GET.get("day", ""))
        # A move keeps the visit's kind; a new booking is the kind picked (else an initial
        # assessment), posted back by each slot's button.
        kind = (
            moving.appointment_type
            if moving is not None
            else _appointment_type(request.POST if request.method == "POST" else request.GET)
            or initial_assessment()
        )
        context = self._calendar_context(
            request,
            location=appointment_request.location,
            first_day=first_day,
            days=7,
            moving=moving,
            booking=appointment_request,
            kind=kind,
        )
        verb = "Move" if moving else "Book"
        context.update(
            {
                "title": f"{verb} {appointment_request.reference} ({appointment_request.patient})",
                "view": "week",
                "type_form": AppointmentTypeForm(initial={"appointment_type": kind.code}),
                "request_url": reverse(
                    "admin:intake_appointmentrequest_change", args=[appointment_request.pk]
                ),
            }
        )
        return TemplateResponse(request, "admin/scheduling/calendar.html", context)

    def has_add_permission_for_booking(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scheduling.add_appointment") and request.user.has_perm(
            "scheduling.change_appointment"
        )

    def _book_posted(
        self,
        request: HttpRequest,
        appointment_request: AppointmentRequest,
        moving: Appointment | None,
    ) -> HttpResponse | None:
        form = BookForm(request.POST, location_id=appointment_request.location_id)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            self.message_user(
                request, "Pick a free time on the calendar. " + " ".join(problems), messages.ERROR
            )
            return None
        starts_at, therapist = form.cleaned_data["starts_at"], form.cleaned_data["therapist"]
        try:
            if moving is not None:
                appointment_move(appointment=moving, therapist=therapist, starts_at=starts_at)
                done = "moved to"
            else:
                appointment_book(
                    appointment_request=appointment_request,
                    therapist=therapist,
                    starts_at=starts_at,
                    appointment_type=form.cleaned_data["appointment_type"] or initial_assessment(),
                    by_patient=False,
                )
                done = "booked for"
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            f"{appointment_request.reference} is {done} {appointment_time_text(starts_at)} "
            f"with {therapist}; the patient will be told.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:intake_appointmentrequest_changelist"))

    def outcome_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment = get_object_or_404(Appointment, pk=pk)
        if not self.has_change_permission(request, appointment):
            raise PermissionDenied
        back = reverse("admin:scheduling_appointment_change", args=[pk])
        form = OutcomeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                appointment_record_outcome(
                    appointment=appointment,
                    outcome=AppointmentStatus(form.cleaned_data["outcome"]),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Recorded: {appointment.get_status_display().lower()}.",
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(back)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        return (
            super()
            .get_queryset(request)
            .select_related("request__patient", "therapist__user", "location", "appointment_type")
        )
