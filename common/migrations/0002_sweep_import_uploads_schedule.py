"""Celery beat (django-celery-beat's database scheduler) deletes abandoned admin import uploads
every 15 minutes: a roster carries full ID numbers, so an unconfirmed one does not linger."""

from django.db import migrations

TASK_NAME = "common: sweep abandoned import uploads"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "common.tasks.sweep_import_uploads_task",
            "interval": every,
            "kwargs": "{}",
            "enabled": True,
            "description": "删除超过1小时仍未确认导入的上传文件",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_import_upload"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
