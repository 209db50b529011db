"""The staff site: Django's admin with the clinic's headers, the dashboard as its front page
and the sign-in pages that come before every other staff page."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, path

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

    def get_urls(self) -> list[URLResolver | URLPattern]:
        # The second sign-in step (two-factor code) and setting up an authenticator app:
        # staff pages, but reachable before the code has been entered.
        return [
            path("sign-in/code/", self.admin_view(signin.verify), name="signin_verify"),
            path("sign-in/set-up/", self.admin_view(signin.enrol), name="signin_enrol"),
            *super().get_urls(),
        ]
