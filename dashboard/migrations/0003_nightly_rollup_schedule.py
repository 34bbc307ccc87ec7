"""Celery beat (django-celery-beat's database scheduler) rolls up the current year every night at
02:30 Huzhou time. The task takes no year: it rolls up the year it runs in."""

from django.db import migrations

TASK_NAME = "dashboard: nightly roll-up of the current year"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "dashboard.tasks.rollup_year_task",
            "crontab": crontab,
            "kwargs": "{}",
            "enabled": True,
            "description": "每晚汇总当年全部指标（市、区县、乡镇街道）",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_report_card_registry"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
