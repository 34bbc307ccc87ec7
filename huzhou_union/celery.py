import os

from celery import Celery

from common.logs import connect_task_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")

app = Celery("huzhou_union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# One JSON line per task: name, id, state, duration (never arguments: they may name a person).
connect_task_logging()
