"""``/healthz``: is the database answering, and the Celery broker? And could a red-flag alert
reach anyone?

Failing (503): the database or the broker does not answer; a load balancer takes the instance
out. Degraded (200): the service works, but a new red-flag alert would reach nobody (no
on-call therapist or manager with an e-mail address, and no CLINIC_ALERT_EMAIL). That is a
configuration problem of the whole clinic, the same on every instance: answering 503 would
take every instance out and stop patients reaching the clinic at all, so it stays 200 and
names why, for monitoring to alert on.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.celery import app as celery_app
from intake.selectors.alerts import alert_reach_problems


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            broker.default_channel  # noqa: B018 - opening a channel talks to the server
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_ok(), "broker": broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    degraded = alert_reach_problems() if checks["database"] else []
    status = "failing" if failing else "degraded" if degraded else "ok"
    body = {"status": status, "failing": failing, "degraded": degraded}
    return JsonResponse(body, status=503 if failing else 200)


def workers_answering(timeout: float = 2.0) -> int:
    """How many Celery workers answer a ping over the broker (0 if the broker is down)."""
    try:
        return len(celery_app.control.ping(timeout=timeout) or [])
    except Exception:
        return 0


@never_cache
@require_GET
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """``/healthz/worker``: does at least one Celery worker answer? A liveness check for the
    worker side, apart from ``/healthz`` so that a load balancer never takes the web site
    away from patients because the worker is down; monitoring (and compose's worker health
    check) alerts on it, and the outbox keeps every message meanwhile."""
    workers = workers_answering()
    body = {"status": "ok" if workers else "failing", "workers": workers}
    return JsonResponse(body, status=200 if workers else 503)
