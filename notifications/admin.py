"""The notification log: what was sent to whom, and what failed. Read-only; the one thing a
manager can do is put failed notifications back in the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from notifications.models import Notification, NotificationStatus, Outage
from notifications.outages import queue_depth
from notifications.sweeper import notifications_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = [
        "created_at",
        "kind",
        "topic",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["topic", "recipient"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    # Not the context: it holds the patient's status link, which is as good as a password.
    readonly_fields = (
        "kind",
        "channel",
        "recipient",
        "recipient_user",
        "topic",
        "subject",
        "template",
        "about",
        "dedupe_key",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "message_id",
        "created_at",
    )
    fields = readonly_fields

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        # The queue depth above the log (and the outage banner, from the template).
        context = {"queue_depth": queue_depth(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)  # type: ignore[return-value]

    # A log: rows are written by the services, never by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description="Retry the selected failed notifications", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        failed = list(queryset.filter(status=NotificationStatus.FAILED))
        count = notifications_retry(notifications=failed)
        skipped = queryset.count() - count
        self.message_user(request, f"{count} notification(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} not retried: only failed ones can be.", messages.WARNING
            )


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin[Outage]):
    """Mail outages, past and present: when, how many failures, when managers were told."""

    list_display = (
        "started_at",
        "ended_at",
        "failures",
        "last_error",
        "reported_at",
        "reported_via",
    )
    readonly_fields = list_display
    fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Outage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Outage | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Outage | None = None) -> bool:
        # Whoever may read the notification log sees its outages (no new permission to grant).
        return request.user.has_perm("notifications.view_notification")
