"""`{% intake_form form %}`: a step's form, as crispy-forms lays it out; a questionnaire
step's blank form from a cache, rendered once per process.

A blank questionnaire form is the same markup for every patient: its fields, wording and
layout come from the declaration (fixed when the process starts), the page's language and
the clinic's distance unit. Rendering it is most of a step page's cost (crispy-forms and the
widgets' templates), so it is done once per (form class, prefix, language, unit). A form
holding answers (bound, or with initial values) or any other form (the patient's details name
the clinic's sites, which staff change) renders every time.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.forms import Form
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from intake.site.forms import QuestionStepForm

register = template.Library()

_BLANK: dict[tuple[type[Form], str | None, str | None, str], SafeString] = {}


@register.simple_tag(takes_context=True)
def intake_form(context: template.Context, form: Form) -> SafeString:
    if not isinstance(form, QuestionStepForm) or form.is_bound or form.initial:
        return _crispy(context, form)
    key = (type(form), form.prefix, get_language(), settings.DISTANCE_UNIT)
    if key not in _BLANK:
        _BLANK[key] = _crispy(context, form)
    return _BLANK[key]


def _crispy(context: template.Context, form: Form) -> SafeString:
    """What `{% crispy form %}` renders (in the page's context)."""
    with context.push(form=form):
        return mark_safe(CrispyFormNode("form", None).render(context))  # noqa: S308 - crispy's markup


def _forget(**kwargs: Any) -> None:
    # Tests change the unit, the emergency number, the templates: blank forms render anew.
    _BLANK.clear()


setting_changed.connect(_forget)
