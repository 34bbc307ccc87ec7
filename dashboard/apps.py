from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("指标看板")

    def ready(self) -> None:
        from dashboard.models import Indicator
        from members.scoping import open_reference

        open_reference(Indicator, reason="指标是公开的年度报告卡条目，不含个人信息")

        from common.figures import set_period_start

        # A cumulative figure (the card's 累计) reads its start date from its indicator: data
        # city staff set, with history, rather than a constant in code.
        set_period_start(cumulative_since)


def cumulative_since(key: str):
    from dashboard.models import Indicator

    return Indicator.objects.filter(key=key).values_list("cumulative_since", flat=True).first()
