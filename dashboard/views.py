"""The leadership pages: the year at a glance, the drill-down behind every figure, the report card,
and starting a roll-up. Thin: selectors read, services write, exports build files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dashboard import exports, selectors, services
from dashboard.models import Indicator, RollupRun
from members.models import Union
from members.scoping import has_scope

FORMATS = ("", "html", "xlsx")


def _year(request: HttpRequest) -> int:
    """The year asked for (default: the latest year with a snapshot). A value that is not a year
    is a 400 with a message saying so, never a silent fallback to another year's figures."""
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if not raw:
        return selectors.latest_year()
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise BadRequest(_("年度应为2000至2100之间的整数。"))
    return year


def _union(request: HttpRequest):
    """The union named by ?union= (default: the top of the viewer's tree). A code no union can
    have (a NUL byte, PostgreSQL refuses it; longer than a code) is a 400; an unknown code 404."""
    code = request.GET.get("union") or ""
    if "\x00" in code or len(code) > Union._meta.get_field("code").max_length:
        raise BadRequest(_("工会编码格式不正确。"))
    return selectors.union_for(viewer=request.user, code=code.strip() or None)


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format") or ""
    if fmt not in FORMATS:
        raise BadRequest(_("不支持的导出格式，可选：xlsx。"))
    return fmt


def _scoped(view):
    """Signed in, with a part of the tree."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not has_scope(request.user):
            raise PermissionDenied(_("您的账号未分配所属工会，无权查看指标看板。"))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@_scoped
def overview(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    union = _union(request)
    result = selectors.board(viewer=request.user, year=year, union=union)
    indicators = list(Indicator.objects.all())
    trend = selectors.monthly_trend(viewer=request.user, year=year, union=union)
    chart_data = {
        "indicators": [
            {
                "key": i.key,
                "name": i.name_zh,
                "unit": i.get_unit_display(),
                "theme": i.get_theme_display(),
            }
            for i in indicators
        ],
        "progress": [
            {"key": r.indicator.key, "name": r.indicator.name_zh, "value": float(r.progress)}
            for r in result.rows
            if r.progress is not None
        ],
        "children": selectors.children_matrix(viewer=request.user, year=year, union=union),
        "trend": trend,
        "trendNotes": {
            i.key: selectors.trend_note(i, union=union) for i in indicators if i.key not in trend
        },
        "months": [_("%(m)s月") % {"m": m} for m in range(1, 13)],
        "noData": _("暂无数据"),
        "noTargets": _("本年度未设定目标")
        if not any(r.target for r in result.rows)
        else _("暂无数据"),
    }
    return render(
        request,
        "dashboard/overview.html",
        {
            "board": result,
            "year": year,
            "union": union,
            "nodes": selectors.viewer_nodes(viewer=request.user),
            "years": range(result.year + 1, result.year - 4, -1),
            "chart_data": chart_data,
            "runs": selectors.recent_runs(year=year),
            "can_rollup": services.can_start_rollup(request.user),
        },
    )


@require_GET
@_scoped
def drilldown(request: HttpRequest, key: str) -> HttpResponse:
    year = _year(request)
    union = _union(request)
    fmt = _format(request)
    indicator = get_object_or_404(Indicator, key=key)
    fig, qs = selectors.figure_records(viewer=request.user, key=key, year=year, union=union)
    headers, rows = selectors.record_rows(fig, qs)
    if fmt == "xlsx":
        content = exports.records_xlsx(indicator=indicator, year=year, union=union, fig=fig, qs=qs)
        return exports.attachment(
            content, f"{indicator.name_zh[:40]}-{union.name}-{year}.xlsx", exports.XLSX
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    maps = selectors.choice_labels(qs.model, selectors.record_fields(fig)[1])
    return render(
        request,
        "dashboard/drilldown.html",
        {
            "indicator": indicator,
            "definition": fig.definition,
            "year": year,
            "union": union,
            "headers": headers,
            "page": page,
            "rows": list(selectors.labelled(page.object_list, maps)),
            "total": fig.value_of(qs),
            "count": page.paginator.count,
        },
    )


@require_GET
@_scoped
def report_card(request: HttpRequest, fmt: str) -> HttpResponse:
    """成绩单: the year's figures with targets and the nodes under the union, from the snapshot."""
    year = _year(request)
    union = _union(request)
    card = exports.report_card_data(viewer=request.user, year=year, union=union)
    name = exports.report_card_title(union, year)
    if fmt == "pdf":
        return exports.attachment(exports.report_card_pdf(card), f"{name}.pdf", exports.PDF)
    return exports.attachment(exports.report_card_xlsx(card), f"{name}.xlsx", exports.XLSX)


@require_POST
@_scoped
def rollup_start(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    try:
        run = services.rollup_request(year=year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已发起 %(year)s 年度指标汇总（任务 #%(run)s）。") % {"year": year, "run": run.pk},
        )
    return redirect(f"{reverse('dashboard:overview')}?year={year}")


@require_GET
@_scoped
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(RollupRun, pk=pk)
    return JsonResponse(
        {
            "id": run.pk,
            "year": run.year,
            "status": run.status,
            "status_display": run.get_status_display(),
            "percent": run.percent,
            "done": run.progress_done,
            "total": run.progress_total,
            "message": run.message,
            "finished": run.status
            in (RollupRun.Status.SUCCEEDED, RollupRun.Status.FAILED, RollupRun.Status.REFUSED),
        }
    )
