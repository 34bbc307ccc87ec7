"""Load the indicator registry and its published figures and targets from
dashboard/data/report-card.yaml. Reversible: unloading removes exactly the keys the file names."""

from django.db import migrations


def load(apps, schema_editor):
    from dashboard.registry import sync

    sync(apps.get_model("dashboard", "Indicator"), apps.get_model("dashboard", "IndicatorTarget"))


def unload(apps, schema_editor):
    from dashboard.registry import unsync

    unsync(apps.get_model("dashboard", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
