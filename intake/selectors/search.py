"""Staff search: one box on the queue and the board, three kinds of term."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

# A request reference as staff type it: with its dash, or without it but with a digit in it
# (an eight-letter word is more likely a name).
REFERENCE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}|(?=.*[0-9])[0-9A-Z]{8}")


def staff_search(
    queryset: QuerySet[Any], term: str, *, reference_field: str, patient_path: str
) -> QuerySet[Any]:
    """Narrow a staff list by what was typed: a request reference (any letter case), an
    e-mail address, or the start of the patient's names (every word must start the first or
    the last name). One kind at a time, so each search uses its own index."""
    term = term.strip()
    if not term:
        return queryset
    compact = term.upper().replace(" ", "")
    if REFERENCE.fullmatch(compact):
        reference = compact if "-" in compact else f"{compact[:4]}-{compact[4:]}"
        return queryset.filter(**{reference_field: reference})
    if "@" in term:
        return queryset.filter(**{f"{patient_path}email__iexact": term})
    for word in term.split():
        queryset = queryset.filter(
            Q(**{f"{patient_path}first_name__istartswith": word})
            | Q(**{f"{patient_path}last_name__istartswith": word})
        )
    return queryset
