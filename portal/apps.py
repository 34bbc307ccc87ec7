from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "会员服务"

    def ready(self) -> None:
        # The portal delivers the notices other apps' services state (common/notices.py).
        from common import notices
        from portal.notify import receive

        notices.register(receive)
