from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "公共"

    def ready(self):
        from rest_framework import serializers

        from common.validators import plausible_date

        # Every date and time the API takes: a year like 0215 is a typo, and before 1901 the
        # time zone's local mean time gives offsets in seconds (+08:05:43) that no RFC 3339 client
        # reads back. DRF applies `default_validators` to every such field not given its own.
        serializers.DateField.default_validators = [plausible_date]
        serializers.DateTimeField.default_validators = [plausible_date]
