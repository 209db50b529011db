"""The staff lists' filters: the review queue's and the request board's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from conditions.categories import Triage
from intake.calendar import business_day_before
from intake.models import (
    OPEN_ALERT_STATUSES,
    OPEN_STATUSES,
    AlertStatus,
    ContactMethod,
    Intake,
    Location,
    RedFlagAlert,
    RequestStatus,
    TimeOfDay,
)
from intake.selectors.queue import waiting_for_review


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A filter that starts on `default` rather than on everything; its own "all" choice
    lists everything, and so does a search (someone looked up is found whatever the state)."""

    default: str

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self.searching = bool(request.GET.get("q", "").strip())
        super().__init__(request, params, model, model_admin)

    def value(self) -> str:
        return super().value() or ("all" if self.searching else self.default)

    def choices(self, changelist: ChangeList) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({str(self.parameter_name): lookup}),
                "display": title,
            }


class ReviewStateFilter(DefaultChoiceFilter):
    """The queue's one filter for what still waits: waiting for review by default (a request
    the patient cancelled leaves it, unless its red-flag alert is still open); also the
    waiting intakes the pre-screen flagged as needing a therapist's eye, and the reviewed."""

    title = "what still waits"
    parameter_name = "reviewed"
    default = "no"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("no", "Waiting for review"),
            ("flagged", "Waiting, flagged by the pre-screen"),
            ("yes", "Reviewed"),
            ("all", "All"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Intake]) -> QuerySet[Intake]:
        match self.value():
            case "no":
                return waiting_for_review(queryset)
            case "flagged":
                return waiting_for_review(queryset).filter(needs_review=True)
            case "yes":
                return queryset.filter(reviewed_at__isnull=False)
        return queryset


class TriageFilter(admin.SimpleListFilter):
    """One level, or urgent and emergency together (what the dashboard's tile counts)."""

    title = "triage"
    parameter_name = "triage"
    URGENT_OR_WORSE = "urgent_or_emergency"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [(self.URGENT_OR_WORSE, "Urgent or emergency"), *Triage.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Intake]) -> QuerySet[Intake]:
        value = self.value()
        if value == self.URGENT_OR_WORSE:
            return queryset.filter(triage__in=[Triage.EMERGENCY, Triage.URGENT])
        if value in Triage.values:
            return queryset.filter(triage=value)
        return queryset


class AlertStateFilter(DefaultChoiceFilter):
    """Open alerts by default: what still needs a clinician."""

    title = "state"
    parameter_name = "state"
    default = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("open", "Open (not closed)"),
            (AlertStatus.RAISED.value, AlertStatus.RAISED.label),
            (AlertStatus.CLOSED.value, AlertStatus.CLOSED.label),
            ("all", "All"),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[RedFlagAlert]
    ) -> QuerySet[RedFlagAlert]:
        match self.value():
            case "open":
                return queryset.filter(status__in=OPEN_ALERT_STATUSES)
            case AlertStatus.RAISED | AlertStatus.CLOSED as status:
                return queryset.filter(status=status)
        return queryset


class LocationFilter(admin.SimpleListFilter):
    """The clinic's sites (a handful): listing them costs nothing, unlike asking the intakes
    which sites they use."""

    title = "site"
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [(str(location.pk), location.name) for location in Location.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Intake]) -> QuerySet[Intake]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(request__location_id=int(value))
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("me", "Assigned to me"), ("nobody", "Not assigned")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Intake]) -> QuerySet[Intake]:
        match self.value():
            case "me":
                return queryset.filter(assigned_to_id=request.user.pk)
            case "nobody":
                return queryset.filter(assigned_to__isnull=True)
        return queryset


class StatusFilter(DefaultChoiceFilter):
    """Open requests (new, contacted, no response) by default: what still needs the desk."""

    title = "status"
    parameter_name = "status"
    default = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("open", f"Open ({', '.join(status.label.lower() for status in OPEN_STATUSES)})"),
            *RequestStatus.choices,
            ("all", "All"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() in RequestStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class AppointmentDayFilter(admin.SimpleListFilter):
    """Appointments booked for today (what the dashboard's tile counts), or from today on."""

    title = "appointment"
    parameter_name = "appointment"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("today", "Today"), ("upcoming", "Today and later")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        match self.value():
            case "today":
                return queryset.filter(
                    status=RequestStatus.SCHEDULED,
                    scheduled_at__gte=start,
                    scheduled_at__lt=start + timedelta(days=1),
                )
            case "upcoming":
                return queryset.filter(status=RequestStatus.SCHEDULED, scheduled_at__gte=start)
        return queryset


class PreferredTimeFilter(admin.SimpleListFilter):
    title = "preferred time"
    parameter_name = "time"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return list(TimeOfDay.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in TimeOfDay.values:
            # Codes are whole words that never contain each other, so a text match is exact.
            return queryset.filter(preferred_times__icontains=f'"{self.value()}"')
        return queryset


class ContactMethodFilter(admin.SimpleListFilter):
    title = "contact method"
    parameter_name = "contact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return list(ContactMethod.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ContactMethod.values:
            return queryset.filter(patient__preferred_contact=self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "waiting"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", "New for over one business day")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            cutoff = business_day_before(timezone.now())
            return queryset.filter(status=RequestStatus.NEW, created_at__lt=cutoff)
        return queryset
