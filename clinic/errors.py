"""The site's own error pages where Django's default would render without the clinic's
context (name and phone number)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A page went stale (for example, cookies were cleared): say so kindly."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the clinic's phone number (Django's default has no context)."""
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Refused: a signed-in staff member refused a staff page stays in the staff pages (with
    the way back to the dashboard); everyone else gets the patient site's page."""
    staff_root = reverse("admin:index")
    if request.path.startswith(staff_root) and getattr(
        getattr(request, "user", None), "is_staff", False
    ):
        context = {**admin.site.each_context(request), "title": "You cannot open this page"}
        return render(request, "admin/permission_denied.html", context, status=403)
    return render(request, "403.html", status=403)
