"""`{% staff_dashboard %}`: the dashboard tiles for the signed-in staff member."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from intake.selectors import dashboard
from staff.roles import CLINICAL_PERMISSION

register = template.Library()

CHART_HEIGHT = 120  # SVG units; bars are scaled to the busiest week
BAR_WIDTH = 36
BAR_GAP = 14


@register.inclusion_tag("admin/intake/dashboard.html", takes_context=True)
def staff_dashboard(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    now = timezone.now()
    tiles: dict[str, Any] = {"request": request}
    if user.has_perm("intake.view_appointmentrequest"):
        tiles["front_desk"] = dashboard.front_desk_tiles(now=now)
    if user.has_perm(CLINICAL_PERMISSION):
        clinical = dashboard.clinical_tiles(now=now)
        tiles["clinical"] = clinical
        tiles["chart"] = chart(clinical.weeks)
    # The manager's figures about visits come from scheduling (named in settings: intake
    # does not import it); only managers may change the kinds of visit.
    if settings.DASHBOARD_VISIT_FIGURES and user.has_perm("scheduling.change_appointmenttype"):
        tiles["visits"] = import_string(settings.DASHBOARD_VISIT_FIGURES)(now=now)
    return tiles


def chart(weeks: list[dashboard.WeekBar]) -> dict[str, Any]:
    """Stacked bars as SVG geometry (attributes, not inline styles: the CSP forbids those)."""
    busiest = max((week.total for week in weeks), default=0) or 1
    bars = []
    for index, week in enumerate(weeks):
        x = index * (BAR_WIDTH + BAR_GAP)
        y: float = CHART_HEIGHT
        segments = []
        for code, name, count in week.counts:
            if not count:
                continue
            height = CHART_HEIGHT * count / busiest
            y -= height
            segments.append(
                {"code": code or "none", "name": name, "count": count, "y": y, "height": height}
            )
        bars.append({"x": x, "week": week, "segments": segments})
    return {
        "bars": bars,
        "width": len(weeks) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT + 20,
        "bar_width": BAR_WIDTH,
        "label_y": CHART_HEIGHT + 15,
        "legend": weeks[0].counts if weeks else [],
    }
