"""The Celery application: configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery, Task
from celery.signals import task_failure, task_prerun
from django.db import close_old_connections, connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="clinic.ping", ignore_result=False)
def ping() -> str:
    """Answer 'pong' from a worker: proves the broker and a worker are alive."""
    return "pong"


# Database connections live across tasks (CELERY_DB_REUSE_MAX), so a worker process treats
# each task as Django treats a web request: drop a broken or old connection before it starts.
# After a failure, drop them all: a time limit raised inside a query leaves psycopg's
# connection mid-command, looking healthy, and every later task in that process (the
# sweeper's included, so no message would be sent again) would fail on it. Seen under load
# in bench/redis_restarts.py. A reconnect after a failure is cheap.
@task_prerun.connect
def _drop_broken_database_connections(task: Task, **kwargs: object) -> None:
    if not task.request.is_eager:  # an eager task runs inside its caller's transaction
        close_old_connections()


@task_failure.connect
def _drop_database_connections_after_a_failure(sender: Task, **kwargs: object) -> None:
    if not sender.request.is_eager:
        connections.close_all()
