"""Celery beat (django-celery-beat's database scheduler) sweeps the export jobs every 15 minutes:
an expired file (a list of named people, sometimes with full ID numbers) is deleted, and a job
whose worker died is marked failed."""

from django.db import migrations

TASK_NAME = "common: sweep expired export files"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "common.tasks.sweep_export_jobs_task",
            "interval": every,
            "kwargs": "{}",
            "enabled": True,
            "description": "删除已过下载期限的导出文件，并将中断的导出任务标记为失败",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_export_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
