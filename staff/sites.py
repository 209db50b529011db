"""The staff site: Django's admin with the clinic's headers, the dashboard as its front page
and the sign-in pages that come before every other staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from staff import input_guard
from staff.signin import views as signin


class ClinicAdminSite(admin.AdminSite):
    site_header = "Knee clinic staff"
    site_title = "Knee clinic staff"
    index_title = "Dashboard"
    # The dashboard tiles above the list of pages (the template loads intake's tiles).
    index_template = "admin/staff_index.html"
    # The lists need the width: with the sidebar open, a 1280 px screen cut off their last
    # columns. The dashboard (one click on the header) lists every page instead.
    enable_nav_sidebar = False

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            input_guard.guard(self._registry[model])

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                input_guard.check_url_arguments(kwargs)
                return inner(request, *args, **kwargs)
            except input_guard.InvalidStaffInput as error:
                return input_guard.refused(request, error)

        return update_wrapper(guarded, inner)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        # The second sign-in step (two-factor code) and setting up an authenticator app:
        # staff pages, but reachable before the code has been entered.
        return [
            path("sign-in/code/", self.admin_view(signin.verify), name="signin_verify"),
            path("sign-in/set-up/", self.admin_view(signin.enrol), name="signin_enrol"),
            path(
                # "enrol/": clinic/log_redaction.py keeps the token out of the logs.
                "sign-in/enrol/<str:token>/",
                self.admin_view(signin.enrol_link),
                name="signin_enrol_link",
            ),
            *super().get_urls(),
        ]
