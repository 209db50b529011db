"""The few names of django-formtools' own that the intake wizard relies on (declared once, in
intake/site/wizard.py): if a formtools release renames them, these fail before patients'
answers start going stale between steps."""

from __future__ import annotations

import inspect

from formtools.wizard.views import WizardView

from intake.site.wizard import FORMTOOLS_CACHES, FORMTOOLS_CLEANED_DATA_CACHE


def test_formtools_still_clears_the_caches_the_wizard_names_after_a_step() -> None:
    source = inspect.getsource(WizardView.post)
    for name in FORMTOOLS_CACHES:
        assert name in source


def test_formtools_still_caches_the_form_list_under_the_names_the_wizard_clears() -> None:
    source = inspect.getsource(WizardView.get_form_list)
    assert "self._resolved_form_list" in source
    assert "self._cache_signature" in source


def test_formtools_still_caches_cleaned_data_under_the_prefix_the_wizard_uses() -> None:
    source = inspect.getsource(WizardView.get_cleaned_data_for_step)
    assert f"{FORMTOOLS_CLEANED_DATA_CACHE}{{step}}" in source
