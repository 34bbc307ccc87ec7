import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")

app = Celery("huzhou_union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
