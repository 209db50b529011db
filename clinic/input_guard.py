"""Refuse input that no field can store: a NUL character.

PostgreSQL text cannot hold NUL (0x00), so a NUL in a filter or a search fails inside the
database (a 500) wherever a form has not already refused it. Addresses and query strings
are checked on every page (patient site, staff admin, API); posted forms only on the staff
pages, whose actions read posted values outside any form. The patient's forms refuse a
NUL themselves (Django's ProhibitNullCharactersValidator), next to the question and with
every answer kept, which a bare 400 here would lose.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

NUL = "\x00"
MESSAGE = (
    "Your request contains a NUL character (code 0), which cannot be stored. "
    "Remove it and try again."
)


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or self._in(request):
            return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _in(request: HttpRequest) -> bool:
        staff_post = request.method == "POST" and request.path.startswith(reverse("admin:index"))
        for query in (request.GET, request.POST) if staff_post else (request.GET,):
            for key, values in query.lists():
                if NUL in key or any(NUL in value for value in values):
                    return True
        return False
