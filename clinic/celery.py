"""The Celery application: configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="clinic.ping", ignore_result=False)
def ping() -> str:
    """Answer 'pong' from a worker: proves the broker and a worker are alive."""
    return "pong"
