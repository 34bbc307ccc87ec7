from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("指标看板")

    def ready(self) -> None:
        from dashboard.models import Indicator
        from members.scoping import open_reference

        open_reference(Indicator, reason="指标是公开的年度报告卡条目，不含个人信息")
