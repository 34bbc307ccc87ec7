"""Celery beat (django-celery-beat's database scheduler) de-identifies personal data past its
retention period every night at 03:15 Huzhou time, after the 02:30 roll-up (common/retention.py,
the README's retention table)."""

from django.db import migrations

TASK_NAME = "common: de-identify personal data past its retention period"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "common.tasks.deidentify_expired_task",
            "crontab": crontab,
            "kwargs": "{}",
            "enabled": True,
            "description": "按保存期限对离会满3年的会员、满3年的身份证号查看记录和未发放的互助申请去标识化",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0003_import_batch"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
