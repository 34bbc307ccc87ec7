from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "会员服务"
