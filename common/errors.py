"""Chinese error pages (403, 404, 500, CSRF failure) with a way back to where the person came from.

The area is chosen by the URL prefix: the admin leads back to 工作台, the dashboard to 指标看板, and
everything else (the portal, `/`) to 会员服务首页. The API answers JSON, as DRF does for its own errors.

The 500 page is rendered without the request's context processors and without the database: it is
what is shown when the database is the thing that failed, so it resolves links by URL name only
(`reverse` reads the URLconf, not the database) and uses no `{% static %}` (a missing manifest
must not turn one error into another)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Area:
    brand: str
    back_label: str
    back_url: str


def area_for(path: str) -> Area:
    if path.startswith("/admin/"):
        return Area(_("湖州市总工会 · 工作台"), _("返回工作台"), reverse("admin:index"))
    if path.startswith("/dashboard/"):
        return Area(_("湖州市总工会 · 指标看板"), _("返回指标看板"), reverse("dashboard:overview"))
    return Area(_("湖州工会·会员服务"), _("返回会员服务首页"), reverse("portal:home"))


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


def _page(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    if _is_api(request.path):
        return JsonResponse({"detail": message}, status=status)
    area = area_for(request.path)
    context = {
        "status": status,
        "title": title,
        "message": message,
        "brand": area.brand,
        "back_label": area.back_label,
        "back_url": area.back_url,
    }
    # No request: no context processors (no session, no user, no database) on any error page.
    body = loader.get_template("errors/page.html").render(context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _own_message(exception: Exception | None) -> str:
    """A PermissionDenied raised by our code carries a Chinese sentence meant for the person;
    Django's own (and an empty one) do not, and a generic sentence is shown instead."""
    text = str(exception or "").strip()
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        status=403,
        title=_("无权访问"),
        message=_own_message(exception)
        or _("您的账号没有查看此页面的权限。如需开通，请联系上级工会的管理员。"),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        status=404,
        title=_("页面不存在"),
        message=_("您要找的页面不存在，或不在您的管辖范围内。请检查地址，或从下面的链接返回。"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        status=500,
        title=_("系统出错了"),
        message=_(
            "系统暂时无法完成您的请求，错误已记录。请稍后再试；如果一直出错，请联系市总工会信息中心。"
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        status=403,
        title=_("页面已过期"),
        message=_(
            "为保护您的账号，表单提交未通过安全校验（页面停留过久或浏览器禁用了 Cookie）。"
            "请返回后刷新页面，重新填写并提交。"
        ),
    )
