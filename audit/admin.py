"""The trail in the admin: clinic managers browse and filter it; nobody adds, edits or deletes."""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from audit.access import LIST_KEY, entry_actor, list_summary
from audit.registry import tracked_models


class RecordKindFilter(admin.SimpleListFilter):
    """The tracked models, without scanning the whole trail for the kinds it holds."""

    title = "record kind"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        models = tracked_models()
        content_types = ContentType.objects.get_for_models(*models)
        return sorted(
            (
                (content_types[model].pk, str(model._meta.verbose_name).capitalize())
                for model in models
            ),
            key=lambda choice: choice[1],
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


class StaffMemberFilter(admin.SimpleListFilter):
    title = "staff member"
    parameter_name = "actor"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        staff = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(user.pk, user.get_full_name() or user.get_username()) for user in staff]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(actor_id=self.value()) if self.value() else queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(LogEntryAdmin):
    list_display = [
        "created",
        "user_url",
        "action",
        "resource_url",
        "msg_short",
        "remote_addr",
        "record_trail",
    ]
    list_filter = [
        "action",
        RecordKindFilter,
        StaffMemberFilter,
        ("timestamp", admin.DateFieldListFilter),
    ]
    # "=object_pk" finds one record's entries by its number; no search of the change text.
    search_fields = ["=object_pk", "object_repr", "actor__username", "actor_email"]
    search_help_text = "A record number, a record's name, or a staff username."
    readonly_fields = ["created", "user_url", "remote_addr", "resource_url", "action", "msg"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "remote_addr", "resource_url"]}),
        ("What happened", {"fields": ["action", "msg"]}),
    ]
    actions = None
    show_full_result_count = False  # a count(*) of a large trail on every page is wasted

    @admin.display(description="User")
    def user_url(self, entry: LogEntry) -> str:
        """The staff member; for anyone else (a system, a patient), who the entry says."""
        if entry.actor_id is None and entry_actor(entry):
            return entry_actor(entry)
        return str(super().user_url(entry))

    @admin.display(description="Changes")
    def msg_short(self, entry: LogEntry) -> str:
        """A list page's entry says what it listed; others, as auditlog says."""
        return list_summary(entry) or str(super().msg_short(entry))

    @admin.display(description="Changes")
    def msg(self, entry: LogEntry) -> str:
        """A list page's entry: what it listed, and the numbers of the records it showed."""
        summary = list_summary(entry)
        if not summary:
            return str(super().msg(entry))
        shown = ", ".join(entry.additional_data[LIST_KEY]["shown"]) or "none"
        return format_html("<p>{}</p><p>Records shown: {}</p>", summary, shown)

    @admin.display(description="Trail of this record")
    def record_trail(self, entry: LogEntry) -> str:
        if not entry.object_pk:  # a list page: no one record to follow
            return ""
        query = urlencode({"kind": entry.content_type_id, "object_pk": entry.object_pk})
        url = reverse("admin:auditlog_logentry_changelist")
        return format_html('<a href="{}?{}">All entries</a>', url, query)

    # Append-only for everyone, superusers included.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
