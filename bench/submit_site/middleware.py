"""Counts a request's SQL statements and its session writes, only when asked (a header), so
the timed requests carry no counting overhead."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class StatementCounter:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_X_BENCH_COUNT" not in request.META:
            return self.get_response(request)
        statements: list[str] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = self.get_response(request)
        writes = sum(
            1
            for sql in statements
            if '"django_session"' in sql and sql.lstrip().upper().startswith(("INSERT", "UPDATE"))
        )
        response["X-Bench-Statements"] = str(len(statements))
        response["X-Bench-Session-Writes"] = str(writes)
        return response
