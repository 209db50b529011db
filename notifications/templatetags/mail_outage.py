"""`{% mail_outage %}`: the banner on the staff pages while the mail server takes nothing,
with the queue behind it, for staff who may read the notification log."""

from __future__ import annotations

from typing import Any

from django import template

from notifications.outages import outage_current

register = template.Library()


@register.inclusion_tag("notifications/outage_banner.html", takes_context=True)
def mail_outage(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("notifications.view_notification"):
        return {"state": None}
    return {"state": outage_current()}
