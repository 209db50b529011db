"""Staff accounts: clinic managers run them through the three roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django_otp import user_has_device

from staff import roles
from staff.services.enrolment import enrolment_link_issue, enrolment_link_path

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Clinic managers run staff accounts through the three roles; only a superuser can make
    a superuser, grant single permissions, or change a superuser's account."""

    list_display = ("username", "first_name", "last_name", "email", "roles", "is_active")
    list_filter = ("is_active", "is_staff", "groups")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        limited = ("is_superuser", "user_permissions")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in limited]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ROLE_PERMISSIONS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:user_id>/enrolment-link/",
                self.admin_site.admin_view(self.enrolment_link_view),
                name="auth_user_enrolment_link",
            ),
            *super().get_urls(),
        ]

    def enrolment_link_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        """Issue a one-time link for setting up (or, after a lost phone, replacing) a staff
        member's authenticator app; the link is shown once, on this page only."""
        member = get_object_or_404(User, pk=user_id)
        if not (
            request.user.has_perm("staff.add_enrolmentlink")
            and self.has_change_permission(request, member)
        ):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "Two-factor set-up link",
            "member": member,
            "has_device": user_has_device(member),
            "hours": settings.STAFF_ENROLMENT_LINK_HOURS,
        }
        if request.method == "POST":
            remove = bool(request.POST.get("remove_devices")) and context["has_device"]
            if remove and not request.user.has_perm("otp_totp.delete_totpdevice"):
                raise PermissionDenied
            link, token = enrolment_link_issue(
                user=member, issued_by=roles.staff_member(request), remove_devices=remove
            )
            context |= {
                "link_url": request.build_absolute_uri(enrolment_link_path(token)),
                "expires_at": link.expires_at,
                "removed": remove,
            }
        return render(request, "admin/auth/user/enrolment_link.html", context)

    @admin.display(description="Roles")
    def roles(self, user: Any) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "—"
