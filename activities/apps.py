from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "思政引领·活动"

    def ready(self) -> None:
        from activities.models import Activity, ActivityKind
        from members.scoping import open_reference, reference_scope

        reference_scope(Activity, union_field="union")
        open_reference(ActivityKind, reason="活动类型是全市共用的字典，不含个人信息")
