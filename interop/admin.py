"""The staff admin's pages for the record system: FHIR clients (created by a clinic manager,
the secret shown once) and the bulk exports they ran (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from oauth2_provider.models import get_application_model

from audit.access import AccessAuditedAdminMixin
from interop.api.capability import token_url
from interop.api.scopes import all_scopes
from interop.clients import system_client_new_secret, system_client_prepare, system_client_revoke
from interop.identifiers import api_base
from interop.models import ExportJob, SystemClient

# The toolkit registers its own pages; the clinic's replace its client page, and tokens stay
# visible to superusers only (no role holds a permission on them).
admin.site.unregister(get_application_model())


class SystemClientForm(forms.ModelForm):
    scope = forms.MultipleChoiceField(
        label="May read",
        choices=list(all_scopes().items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="system/*.read gives every type. Types marked clinical reveal answers, "
        "the pre-screen or a clinician's reasoning: give them only to a clinical system.",
    )

    class Meta:
        model = SystemClient
        fields = ["name", "scope", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = "The practice system, as the audit trail will name it."
        if self.instance.pk:
            self.initial["scope"] = self.instance.scope.split()

    def clean_scope(self) -> str:
        return " ".join(self.cleaned_data["scope"])


@admin.register(SystemClient)
class SystemClientAdmin(AccessAuditedAdminMixin, admin.ModelAdmin[SystemClient]):
    form = SystemClientForm
    list_display = ["name", "client_id", "scope", "is_active", "created"]
    list_filter = ["is_active"]
    search_fields = ["name", "client_id"]
    readonly_fields = ["client_id", "created", "updated"]
    actions = ["new_secret", "revoke_tokens"]

    def get_fields(self, request: HttpRequest, obj: SystemClient | None = None) -> Any:
        return ["name", "scope", "is_active"] + ([] if obj is None else self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: SystemClient, form: Any, change: bool) -> None:
        if not change:
            request._fhir_secret = system_client_prepare(client=obj)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            system_client_revoke(client=obj)

    def response_add(
        self, request: HttpRequest, obj: SystemClient, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self._credentials(request, obj, request._fhir_secret)  # type: ignore[attr-defined]

    def _credentials(self, request: HttpRequest, client: SystemClient, secret: str) -> HttpResponse:
        """The one page that shows the secret: it is stored hashed, never shown again."""
        response = render(
            request,
            "admin/interop/systemclient/credentials.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Credentials for {client.name}",
                "client": client,
                "secret": secret,
                "token_url": token_url(),
                "api_base": api_base(),
                "opts": self.opts,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Issue a new secret (ends the client's tokens)")
    def new_secret(self, request: HttpRequest, queryset: QuerySet[SystemClient]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, "Choose one client at a time.", messages.WARNING)
            return None
        client = queryset.get()
        return self._credentials(request, client, system_client_new_secret(client=client))

    @admin.action(description="End the selected clients' tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[SystemClient]) -> None:
        count = sum(system_client_revoke(client=client) for client in queryset)
        self.message_user(request, f"{count} token(s) ended.", messages.SUCCESS)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin[ExportJob]):
    list_display = ["created_at", "client", "level", "status", "completed_at", "expires_at"]
    list_filter = ["status", "level"]
    readonly_fields = (
        "id",
        "client",
        "level",
        "types",
        "since",
        "request_url",
        "status",
        "progress",
        "error",
        "output",
        "created_at",
        "started_at",
        "completed_at",
        "expires_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ExportJob | None = None) -> bool:
        return False
