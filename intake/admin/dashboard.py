"""The staff dashboard on the admin index: each person sees the tiles their role allows."""

from __future__ import annotations

from django.contrib import admin

# The template adds the dashboard (intake/templatetags/staff_dashboard.py) above the app list.
admin.site.index_template = "admin/intake/staff_index.html"
