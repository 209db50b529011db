"""One guard for what staff send the admin: filter values, date drill-downs, the rows an
action is asked to act on and the dates typed into forms. Anything outside what the page
offers is refused with a 400 page that says what was wrong, never a 500.

`ClinicAdminSite` applies it to every registered model admin (ours and the libraries'), so
a new admin page is guarded without doing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Dates a person can mean at the clinic. Python's dates end at 9999-12-31, so a date near it
# overflows as soon as it is moved to UTC or by a day (the audit diff, a date drill-down).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
# Longer runs of digits are no record number (PostgreSQL's bigint has 19 digits).
LONGEST_NUMBER = 18
DRILL_DOWN_RANGES = {"year": range(EARLIEST_YEAR, LATEST_YEAR + 1), "month": range(1, 13)}
DRILL_DOWN_RANGES["day"] = range(1, 32)


class InvalidStaffInput(Exception):
    """A request the admin cannot act on; its message is shown to the staff member."""


def bounded_date(value: dt.date | dt.datetime | None) -> None:
    """A form validator: a date from 1900 to 2200."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(f"Enter a date from {EARLIEST_YEAR} to {LATEST_YEAR}.")


def _check_number(name: str, value: str) -> None:
    digits = value.lstrip("-")
    if digits.isdigit() and len(digits) > LONGEST_NUMBER:
        raise InvalidStaffInput(f"The filter “{name}” has a number too long to be a record.")


def check_url_arguments(kwargs: dict[str, Any]) -> None:
    """A record number in the address (``/admin/app/model/<id>/change/``) that no record can
    have: Python refuses to read an integer of over 4,300 digits, a 500 in every admin view."""
    for name, value in kwargs.items():
        if isinstance(value, str) and value.isdigit() and len(value) > LONGEST_NUMBER:
            raise InvalidStaffInput(f"There is no record with that {name.replace('_', ' ')}.")


class GuardedChangeListMixin:
    """A change list that refuses filter values no filter offers, instead of failing on them."""

    model_admin: admin.ModelAdmin
    date_hierarchy: str | None

    def get_filters(self, request: HttpRequest) -> Any:
        params = self.get_filters_params()  # type: ignore[attr-defined]
        if self.date_hierarchy:
            for part, allowed in DRILL_DOWN_RANGES.items():
                raw = params.get(f"{self.date_hierarchy}__{part}")
                value = raw[-1] if isinstance(raw, list) else raw
                if value is None:
                    continue
                if not value.isdigit() or len(value) > 4 or int(value) not in allowed:
                    raise InvalidStaffInput(
                        f"No such {part} to show: choose one from the list of dates."
                    )
        for name, values in params.items():
            for value in values if isinstance(values, list) else [values]:
                _check_number(name, str(value))
        try:
            result = super().get_filters(request)  # type: ignore[misc]
        except (ValueError, OverflowError) as error:
            raise InvalidStaffInput("These filters do not make sense together.") from error
        for spec in result[0]:
            if isinstance(spec, admin.SimpleListFilter) and spec.value() is not None:
                offered = {str(choice) for choice, _ in spec.lookup_choices}
                if offered and str(spec.value()) not in offered:
                    raise InvalidStaffInput(
                        f"“{spec.value()}” is not one of the choices of the filter “{spec.title}”."
                    )
        return result


def _guarded_changelist(original: Callable[..., type[ChangeList]]) -> Callable[..., Any]:
    def get_changelist(request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        base = original(request, **kwargs)
        return type(f"Guarded{base.__name__}", (GuardedChangeListMixin, base), {})

    return get_changelist


def _guarded_response_action(
    model_admin: admin.ModelAdmin, original: Callable[..., HttpResponse | None]
) -> Callable[..., HttpResponse | None]:
    def response_action(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse | None:
        pk = model_admin.model._meta.pk
        assert pk is not None
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                pk.clean(value, None)
            except ValidationError as error:
                raise InvalidStaffInput(
                    "The rows to act on were not sent as the list shows them: "
                    "go back to the list and tick them again."
                ) from error
        return original(request, *args, **kwargs)

    return response_action


def guard(model_admin: admin.ModelAdmin) -> None:
    """Guard one registered model admin (see the module's docstring)."""
    model_admin.get_changelist = _guarded_changelist(model_admin.get_changelist)  # type: ignore[method-assign]
    model_admin.response_action = _guarded_response_action(  # type: ignore[method-assign]
        model_admin, model_admin.response_action
    )
    # ModelAdmin.__init__ made formfield_overrides a per-instance dict of dicts.
    overrides: dict[Any, dict[str, Any]] = model_admin.formfield_overrides  # type: ignore[assignment]
    for field in (models.DateField, models.DateTimeField):
        override = overrides.setdefault(field, {})
        override["validators"] = [*override.get("validators", []), bounded_date]


def refused(request: HttpRequest, error: InvalidStaffInput) -> HttpResponse:
    return render(
        request,
        "admin/invalid_input.html",
        {"message": str(error), "back": request.path, "title": "That cannot be shown"},
        status=400,
    )
