"""One-time SMS codes as a port: the member portal owns the codes (its `SmsCode` table, the
5-minute life, one per 60 s and 10 a day per number, 5 wrong tries) and plugs them in at start-up
(`portal.apps.PortalConfig.ready`); a staff password reset (`members.password_reset`) uses them
through here. So the limits are one set of rules, and members never imports the portal (the same
shape as `common.notices`)."""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

STAFF_PASSWORD_RESET = "staff_reset"  # portal.models.SmsCode.Purpose.STAFF_PASSWORD_RESET


class Send(Protocol):
    def __call__(self, *, phone: str, purpose: str) -> object: ...


class Check(Protocol):
    def __call__(self, *, phone: str, purpose: str, code: str) -> object: ...


class RateLimit(Protocol):
    def __call__(self, *, key: str, limit: int, window: dt.timedelta) -> None: ...


@dataclass(frozen=True)
class Provider:
    send: Send  # raises ValidationError (code "too_soon", "daily_limit", ...) when refused
    check: Check  # raises ValidationError when the code is wrong, used or expired
    rate_limit: RateLimit  # raises ValidationError past `limit` hits of `key` in `window`


_provider: Provider | None = None


def register(provider: Provider) -> None:
    global _provider
    _provider = provider


def _current() -> Provider:
    if _provider is None:
        raise RuntimeError("没有可用的短信验证码服务（portal 应用未安装）。")
    return _provider


def send(*, phone: str, purpose: str) -> object:
    return _current().send(phone=phone, purpose=purpose)


def check(*, phone: str, purpose: str, code: str) -> object:
    return _current().check(phone=phone, purpose=purpose, code=code)


def rate_limit(*, key: str, limit: int, window: dt.timedelta) -> None:
    _current().rate_limit(key=key, limit=limit, window=window)
