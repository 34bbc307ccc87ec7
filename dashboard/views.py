"""The leadership pages: the year at a glance, the drill-down behind every figure, the report card,
and starting a roll-up. Thin: selectors read, services write, exports build files."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.export_jobs import export_request, inline_max_rows
from common.models import ExportJob
from common.paging import KnownCountPaginator
from dashboard import exports, selectors, services
from dashboard.models import Indicator, IndicatorTarget, RollupRun
from members.models import Union
from members.scoping import has_scope, is_city_staff, scope_q

# A township's grassroots unions are not roll-up nodes: their comparison is computed from the
# records when the board opens, which is quick for a few dozen unions and not for hundreds.
MAX_LIVE_CHILDREN = 40

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
    """The union named by ?union= (or a POST's union; default: the top of the viewer's tree). A
    code no union can have (a NUL byte, PostgreSQL refuses it; longer than a code) is a 400; an
    unknown code 404."""
    code = request.GET.get("union") or request.POST.get("union") or ""
    if "\x00" in code or len(code) > Union._meta.get_field("code").max_length:
        raise BadRequest(_("工会编码格式不正确。"))
    return selectors.union_for(viewer=request.user, code=code.strip() or None)


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format") or ""
    if fmt not in FORMATS:
        raise BadRequest(_("不支持的导出格式，可选：xlsx。"))
    return fmt


def _scoped(view):
    """Signed in, with a part of the tree. Never stored by a browser or a proxy: a drill-down
    lists people, and a board shows figures that only the viewer's tree may see."""

    @never_cache
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
    children, children_note = comparison(viewer=request.user, year=year, union=union)
    progress = [
        {"key": r.indicator.key, "name": r.indicator.name_zh, "value": float(r.progress)}
        for r in result.rows
        if r.progress is not None
    ]
    has_children = any(v is not None for vs in children["values"].values() for v in vs)
    has_trend = any(v is not None for vs in trend.values() for v in vs)
    is_city = union.level == Union.Level.CITY
    targets_set = sum(1 for r in result.rows if r.target is not None)
    chart_data = {
        "indicators": [
            {
                "key": i.key,
                "name": i.name_zh,
                "unit": i.get_unit_display(),
                "theme": i.get_theme_display(),
                "count": i.unit in exports.COUNT_UNITS,
            }
            for i in indicators
        ],
        "progress": progress,
        "children": children,
        "trend": trend,
        "trendNotes": {
            i.key: selectors.trend_note(i, union=union) for i in indicators if i.key not in trend
        },
        "months": [_("%(m)s月") % {"m": m} for m in range(1, 13)],
        "noData": _("暂无数据"),
        "noTargets": _("已设定目标 %(n)s 项，本年度尚未汇总完成值。") % {"n": targets_set}
        if targets_set
        else _("本年度未设定目标"),
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
            # The roll-up's progress concerns the people who run it, not every board.
            "runs": selectors.recent_runs(year=year) if is_city_staff(request.user) else [],
            "can_rollup": services.can_start_rollup(request.user),
            "is_city": is_city,
            # The city's targets, or a district's share of them; below a district there are none.
            "shows_targets": is_city or targets_set > 0,
            "target_note": target_note(year) if is_city and not targets_set else None,
            "demo_scale": demo_scale(result) if is_city else None,
            "charts": {
                "progress": targets_set > 0,
                "children": has_children,
                "trend": has_trend,
            },
            "children_note": children_note,
        },
    )


def target_note(year: int) -> dict | None:
    """For a year without targets: the nearest year the report card sets them for (it sets them
    from 2025), so the board can say so and offer that year."""
    years = sorted(
        set(
            IndicatorTarget.objects.filter(kind=IndicatorTarget.Kind.TARGET).values_list(
                "year", flat=True
            )
        )
    )
    if not years:
        return None
    later = [y for y in years if y > year]
    return {"first": years[0], "offer": later[0] if later else years[-1]}


def demo_scale(board) -> str | None:
    """The scale the records run at next to the published figures, when they are far apart (the
    demo seeds 0.002 of the city): members on the register ÷ the published member count."""
    for row in board.rows:
        if row.indicator.key != "registered_members" or not row.value:
            continue
        published = row.published or row.baseline
        if published is None or not published.value:
            return None
        ratio = row.value / published.value
        if ratio >= Decimal("0.5"):
            return None
        return f"{ratio:.1g}" if ratio >= Decimal("0.0001") else f"{ratio:.1e}"
    return None


def comparison(*, viewer, year: int, union: Union) -> tuple[dict, str]:
    """The unions directly under `union`, side by side, and a note saying why there are none.
    Districts and townships come from the snapshot; a township's grassroots unions, which the
    roll-ups do not cover, are computed from their records now by the same figure functions."""
    if union.level != Union.Level.TOWNSHIP:
        matrix = selectors.children_matrix(viewer=viewer, year=year, union=union)
        note = ""
        if not matrix["nodes"]:
            note = (
                _("基层工会没有下级工会，无可对比。")
                if union.level == Union.Level.GRASSROOTS
                else _("暂无下级工会。")
            )
        return matrix, note
    from common.figures import load_all

    grassroots = list(
        Union.objects.filter(parent=union).filter(scope_q(viewer, "")).order_by("code")
    )
    keys = list(Indicator.objects.values_list("key", flat=True))
    empty = {"nodes": [], "values": {k: [] for k in keys}}
    if not grassroots:
        return empty, _("该工会下暂无基层工会。")
    if len(grassroots) > MAX_LIVE_CHILDREN:
        return empty, _(
            "下辖基层工会 %(n)s 个，超过 %(max)s 个不在此逐一对比，请在“范围”中选择或查看明细。"
        ) % {"n": len(grassroots), "max": MAX_LIVE_CHILDREN}
    figures = load_all()
    values = {
        k: [
            float(figures[k].compute(year=year, union=u)) if k in figures else None
            for u in grassroots
        ]
        for k in keys
    }
    # Only the unions that have something to show: a row of zeros compares nothing.
    keep = [
        i
        for i in range(len(grassroots))
        if any(values[k][i] for k in keys if values[k][i] is not None)
    ]
    if not keep:
        return empty, _("下辖基层工会本年度暂无数据。")
    return {
        "nodes": [{"code": grassroots[i].code, "name": grassroots[i].name} for i in keep],
        "values": {k: [values[k][i] for i in keep] for k in keys},
    }, ""


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
        limit = inline_max_rows()
        if qs[: limit + 1].count() > limit:
            count = qs.count()
            # Too many rows to write inside a request: a GET starts nothing, so the page offers
            # the job (a POST), as the drill-down's own button does.
            return render(
                request,
                "dashboard/export_offer.html",
                {"indicator": indicator, "year": year, "union": union, "count": count},
            )
        return _inline_xlsx(indicator=indicator, year=year, union=union, fig=fig, qs=qs)
    totals = selectors.drilldown_totals(viewer=request.user, fig=fig, qs=qs, year=year, union=union)
    page = KnownCountPaginator(rows, 50, count=totals.count).get_page(request.GET.get("page"))
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
            "total": totals.total,
            "count": totals.count,
            "counted_at": totals.counted_at,
            "export_inline_max": inline_max_rows(),
        },
    )


def _inline_xlsx(*, indicator, year, union, fig, qs) -> HttpResponse:
    content = exports.records_xlsx(indicator=indicator, year=year, union=union, fig=fig, qs=qs)
    return exports.attachment(
        content, f"{exports.figure_title(indicator, union, year)}.xlsx", exports.XLSX
    )


@require_POST
@_scoped
def export_start(request: HttpRequest, key: str) -> HttpResponse:
    """导出Excel from a drill-down: a small list comes back as the file at once; a large one
    becomes an export job (common.export_jobs) and the browser goes to its progress page."""
    year = _year(request)
    union = _union(request)
    indicator = get_object_or_404(Indicator, key=key)
    fig, qs = selectors.figure_records(viewer=request.user, key=key, year=year, union=union)
    limit = inline_max_rows()
    # Counted no further than the limit: the city's 681,000 rows need not be counted to know.
    if qs[: limit + 1].count() <= limit:
        return _inline_xlsx(indicator=indicator, year=year, union=union, fig=fig, qs=qs)
    job = export_request(
        kind=ExportJob.Kind.FIGURE,
        params={"key": key, "year": year, "union": union.code},
        union=union,
        title=exports.figure_title(indicator, union, year),
        by=request.user,
    )
    return redirect("exports:status", pk=job.pk)


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
