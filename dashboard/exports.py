"""Files the dashboard hands out: a figure's records as .xlsx, and the annual report card (成绩单) as
PDF (WeasyPrint, typeset in Noto Sans CJK) and .xlsx. Everything is read from the snapshot or, for
records, from the figure's own records function, scoped to the viewer."""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from common.export_jobs import ExportSource
from common.figures import Figure
from common.spreadsheets import formula_safe
from common.xlsx_stream import XlsxStream
from dashboard import selectors
from dashboard.models import Indicator
from members.models import Union
from members.scoping import Viewer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def plain(value: Decimal | None) -> str:
    """A figure as people write it: no trailing zeros, thousands separated; None is 暂无数据."""
    if value is None:
        return _("暂无数据")
    normal = value.normalize()
    if normal == normal.to_integral():
        return f"{int(normal):,}"
    return f"{normal:,f}"


# Units counted one by one: 10,000 or more reads in 万 (the card's 68.1万人). Money is already in
# 万元 and a percentage is a percentage.
COUNT_UNITS = ("person_times", "persons", "events", "items")


def short(value: Decimal | None, unit: str | None = None) -> str:
    """A count as a Chinese report card writes it: 681000 → 68.1万 (one decimal, half up, a
    trailing .0 dropped); below 10,000, or not a count, as `plain` writes it."""
    if value is None or (unit is not None and unit not in COUNT_UNITS) or abs(value) < 10_000:
        return plain(value)
    wan = (Decimal(value) / Decimal(10_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{plain(wan)}万"


def cell(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # openpyxl refuses an aware datetime; a spreadsheet has no time zone, so the reader gets
        # the wall-clock time in Huzhou, as the page shows it.
        return timezone.make_naive(value, timezone.get_default_timezone())
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if hasattr(value, "isoformat") or value is None or isinstance(value, (int, float, bool)):
        return value
    return formula_safe(str(value))


def figure_title(indicator: Indicator, union: Union, year: int) -> str:
    return f"{indicator.name_zh[:40]}-{union.name}-{year}"


def figure_source(
    *, indicator: Indicator, year: int, union: Union, fig: Figure, qs: QuerySet
) -> ExportSource:
    """A figure's records as an export: a title row, the headers, one row per record (choice
    codes as their labels) and the 合计 row, which is the figure itself."""
    headers, rows = selectors.record_rows(fig, qs)
    maps = selectors.choice_labels(qs.model, selectors.record_fields(fig)[1])
    return ExportSource(
        sheet_title=str(year),
        title_row=[
            _("%(name)s（%(union)s，%(year)s年）")
            % {"name": indicator.name_zh, "union": union.name, "year": year}
        ],
        headers=headers,
        rows=selectors.labelled(rows.iterator(chunk_size=2000), maps),
        total=qs.count(),
        footer_rows=[[_("合计"), cell(fig.value_of(qs)), str(indicator.get_unit_display())]],
    )


def figure_export_source(job) -> ExportSource:
    """The source of an export job of kind "figure" (common.export_jobs): the records are read
    again, as the requester may see them now."""
    params = job.params
    viewer = job.requested_by
    union = Union.objects.get(code=params["union"])
    indicator = Indicator.objects.get(key=params["key"])
    fig, qs = selectors.figure_records(
        viewer=viewer, key=params["key"], year=int(params["year"]), union=union
    )
    return figure_source(indicator=indicator, year=int(params["year"]), union=union, fig=fig, qs=qs)


def write_source(source: ExportSource) -> bytes:
    """A small export's file, in memory (the request path; jobs stream into sealed chunks)."""
    out = io.BytesIO()
    with XlsxStream(
        out, sheet_title=source.sheet_title, tz=timezone.get_default_timezone()
    ) as sheet:
        if source.title_row:
            sheet.write_row(source.title_row)
        sheet.write_row(source.headers)
        sheet.write_rows(source.rows)
        for row in source.footer_rows:
            sheet.write_row(row)
    return out.getvalue()


def records_xlsx(
    *, indicator: Indicator, year: int, union: Union, fig: Figure, qs: QuerySet
) -> bytes:
    return write_source(figure_source(indicator=indicator, year=year, union=union, fig=fig, qs=qs))


@dataclass
class ReportCard:
    year: int
    union: Union
    board: selectors.Board
    children: list[Union]
    child_values: dict[tuple[int, str], Decimal]
    generated_at: object

    @property
    def is_city(self) -> bool:
        # Targets and published figures are the city's: only its card prints them.
        return self.union.level == Union.Level.CITY

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.board.rows)

    def themes(self):
        for theme, label, rows in self.board.by_theme():
            yield (
                theme,
                label,
                [
                    (row, [self.child_values.get((c.pk, row.indicator.key)) for c in self.children])
                    for row in rows
                ],
            )


def report_card_title(union: Union, year: int) -> str:
    return _("%(union)s%(year)s年度工作成绩单") % {"union": union.name, "year": year}


def report_card_data(*, viewer: Viewer, year: int, union: Union) -> ReportCard:
    board = selectors.board(viewer=viewer, year=year, union=union)
    children = [u for u in selectors.viewer_nodes(viewer=viewer) if u.parent_id == union.pk]
    return ReportCard(
        year=year,
        union=union,
        board=board,
        children=children,
        child_values=selectors.snapshot_values(board.snapshot, children),
        generated_at=timezone.localtime(),
    )


# The PDF is typeset in a font shipped with the code (static/dashboard/fonts, OFL), so it reads the
# same on a machine with no CJK font installed and needs no root to set up; a character outside
# the subset falls back to the machine's own CJK fonts ("Noto Sans CJK SC" in the template).
PDF_FONT_FAMILY = "HZ Report Sans"
PDF_FONTS = {"normal": "NotoSansSC-Regular-gb2312.woff2", "bold": "NotoSansSC-Bold-gb2312.woff2"}
PDF_FONT_DIR = Path(settings.BASE_DIR) / "static" / "dashboard" / "fonts"


def pdf_font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{(PDF_FONT_DIR / name).as_uri()}") format("woff2"); }}'
        for weight, name in PDF_FONTS.items()
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = CSS(string=pdf_font_faces(), font_config=fonts)
    return HTML(string=html).write_pdf(stylesheets=[faces], font_config=fonts)


def report_card_pdf(card: ReportCard) -> bytes:
    return html_to_pdf(render_to_string("dashboard/report_card.html", {"card": card}))


def report_card_xlsx(card: ReportCard) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("成绩单")
    sheet.append([report_card_title(card.union, card.year)])
    sheet["A1"].font = Font(bold=True, size=14)
    computed = card.board.snapshot.computed_at if card.board.snapshot else None
    sheet.append(
        [
            _("数据截至"),
            timezone.localtime(computed).strftime("%Y-%m-%d %H:%M") if computed else _("暂无数据"),
        ]
    )
    sheet.append(
        [
            _("工作条线"),
            _("指标"),
            _("单位"),
            _("完成值"),
            _("目标"),
            _("完成进度(%)"),
            _("上年公布值"),
            _("本年公布值"),
            *[c.name for c in card.children],
        ]
    )
    for _theme, label, rows in card.themes():
        for row, child_values in rows:
            sheet.append(
                [
                    label,
                    row.indicator.name_zh,
                    str(row.indicator.get_unit_display()),
                    cell(row.value) if row.value is not None else _("暂无数据"),
                    f"{row.target.comparator}{plain(row.target.value)}" if row.target else None,
                    cell(row.progress),
                    cell(row.baseline.value) if row.baseline else None,
                    cell(row.published.value) if row.published else None,
                    *[cell(v) for v in child_values],
                ]
            )
    sheet.column_dimensions["B"].width = 44
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
