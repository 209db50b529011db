"""The template tags of the intake's pages: what is the same for every patient is rendered
once per process.

- `{% intake_form form %}`: a step's form, as crispy-forms lays it out. A blank step form
  is the same markup for every patient: a questionnaire step's comes from the declaration
  (fixed when the process starts), the page's language and the clinic's distance unit; the
  patient's details also name the clinic's sites and therapists, which staff change.
  Rendering is most of a step page's cost (crispy-forms and the widgets' templates), so a
  form class that can say what else its blank markup depends on (`blank_markup_key`) is
  rendered once per (class, prefix, language, that key). A form holding answers (bound, or
  with initial values) renders every time.
- `{% intake_progress %}`: the progress bar, once per page number and language (it was a
  fifth of a step page's template time).
- `{% wizard_step_field wizard %}`: the wizard's own hidden field, the step posted.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.core.signals import setting_changed
from django.forms import Form
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_BLANK: dict[Hashable, SafeString] = {}
# Old keys (sites renamed, therapists gone) are dropped with the rest past this many.
MOST_KEPT = 64
_PROGRESS: dict[tuple[int, int, str | None], SafeString] = {}


@register.simple_tag(takes_context=True)
def intake_form(context: template.Context, form: Form) -> SafeString:
    markup_key = getattr(form, "blank_markup_key", None)
    if markup_key is None or form.is_bound or form.initial:
        return _crispy(context, form)
    key = (type(form), form.prefix, get_language(), markup_key())
    if key not in _BLANK:
        if len(_BLANK) >= MOST_KEPT:
            _BLANK.clear()
        _BLANK[key] = _crispy(context, form)
    return _BLANK[key]


@register.simple_tag(takes_context=True)
def intake_progress(context: template.Context) -> SafeString:
    number, pages = context["page_number"], context["pages"]
    key = (number, len(pages), get_language())
    if key not in _PROGRESS:
        _PROGRESS[key] = mark_safe(  # noqa: S308 - the template's own, escaped markup
            render_to_string(
                "intake/includes/progress.html",
                {"page_number": number, "page_count": len(pages), "pages": pages},
            )
        )
    return _PROGRESS[key]


@register.simple_tag
def wizard_step_field(wizard: dict[str, Any]) -> SafeString:
    """formtools' management form, which is one hidden field (the step posted): written out
    here, as rendering it through Django's form templates cost 0.2 ms a page."""
    field = wizard["management_form"]["current_step"]
    return format_html('<input type="hidden" name="{}" value="{}">', field.html_name, field.value())


def _crispy(context: template.Context, form: Form) -> SafeString:
    """What `{% crispy form %}` renders (in the page's context)."""
    with context.push(form=form):
        return mark_safe(CrispyFormNode("form", None).render(context))  # noqa: S308 - crispy's markup


def _forget(**kwargs: Any) -> None:
    # Tests change the unit, the emergency number, the templates: the parts render anew.
    _BLANK.clear()
    _PROGRESS.clear()


setting_changed.connect(_forget)
