"""The CSV export page of a staff list: pick a period, download its rows. Each download is
recorded in the audit trail with the records it held."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from audit.access import record_list_view
from intake.selectors.exports import Export
from staff.input_guard import bounded_date

LONGEST_PERIOD = timedelta(days=366)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a
# patient could type "=HYPERLINK(...)" as their name. Such a cell is exported as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}), validators=[bounded_date]
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[bounded_date],
        help_text="Both days included; at most a year.",
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                raise ValidationError("The period ends before it starts.")
            if end - start > LONGEST_PERIOD:
                raise ValidationError("Export at most a year at a time.")
        return cleaned


def spreadsheet_safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def export_page(
    model_admin: admin.ModelAdmin, request: HttpRequest, export: Export
) -> HttpResponse:
    """The period form; with a valid period in the query string, the CSV file."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    opts = model_admin.model._meta
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None, initial={"start": today - timedelta(days=30), "end": today}
    )
    if not form.is_valid():
        return TemplateResponse(
            request,
            "admin/intake/export_form.html",
            {
                **model_admin.admin_site.each_context(request),
                "opts": opts,
                "title": f"Export {opts.verbose_name_plural} as CSV",
                "form": form,
                "columns": export.header,
            },
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    records, rows = export.rows_between(start, end)
    record_list_view(
        model=model_admin.model,
        shown=records,
        matched=len(records),
        parameters=request.GET,
        title=f"CSV export of {opts.verbose_name_plural}",
    )
    name = str(opts.verbose_name_plural).replace(" ", "-")
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{start}-to-{end}.csv"'},
    )
    response.write("\ufeff")  # so that Excel reads the file as UTF-8 (names with accents)
    writer = csv.writer(response)
    writer.writerow(export.header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return response
