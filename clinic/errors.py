"""The site's own error pages where Django's default would render without the clinic's
context (name and phone number)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A page went stale (for example, cookies were cleared): say so kindly."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the clinic's phone number (Django's default has no context)."""
    return render(request, "500.html", status=500)
