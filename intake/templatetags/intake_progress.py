"""`{% intake_progress %}`: the intake's progress bar, rendered once per process for each
page number and language.

The bar is the same for every patient on the same page (`intake/includes/progress.html`):
the steps come from the declaration, fixed when the process starts. Rendered for every page
it was a fifth of a step page's template time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_RENDERED: dict[tuple[int, int, str | None], SafeString] = {}


@register.simple_tag(takes_context=True)
def intake_progress(context: template.Context) -> SafeString:
    number, pages = context["page_number"], context["pages"]
    key = (number, len(pages), get_language())
    if key not in _RENDERED:
        _RENDERED[key] = mark_safe(  # noqa: S308 - the template's own, escaped markup
            render_to_string(
                "intake/includes/progress.html",
                {"page_number": number, "page_count": len(pages), "pages": pages},
            )
        )
    return _RENDERED[key]


def _forget(**kwargs: Any) -> None:
    # Tests change the templates' settings: the bar renders anew.
    _RENDERED.clear()


setting_changed.connect(_forget)
