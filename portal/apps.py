from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "会员服务"

    def ready(self) -> None:
        # The portal delivers the notices other apps' services state (common/notices.py).
        from common import notices, retention, sms_codes
        from portal import retention as portal_retention
        from portal.notify import receive
        from portal.services import rate_limit, sms_code_check, sms_code_send

        notices.register(receive)
        # And the one-time codes a staff password reset uses (common/sms_codes.py).
        sms_codes.register(
            sms_codes.Provider(send=sms_code_send, check=sms_code_check, rate_limit=rate_limit)
        )
        # And its sign-in data past their time, in the nightly retention run (common/retention.py).
        retention.register_sweep(portal_retention.sweep)
        # And, when a person is de-identified, their rows keyed by the ID hash.
        retention.register_person_hook(portal_retention.persons)
