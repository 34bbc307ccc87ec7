"""django-import-export for the admin: the roster template in and out. Import runs the same
pipeline as `manage.py import_members` (members/importing.py); export writes the same template
back, ID numbers masked unless the clerk may see them (and then recorded), formulas defused."""

import hashlib

import tablib
from django.core.exceptions import ValidationError
from import_export import fields
from import_export.formats.base_formats import CSV
from import_export.results import Result, RowResult

from common.importing import SpreadsheetError
from common.resources import FormulaSafeResource
from common.spreadsheets import cell_text, detect_csv_encoding
from members import services
from members.importing import ROSTER_HEADERS, roster_import, roster_rows
from members.models import IdNumberAccess, Member


class RosterCSV(CSV):
    """CSV in whatever encoding Chinese Excel saved it: read as bytes and detected."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        import io

        raw = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        encoding = detect_csv_encoding(io.BytesIO(raw))
        return tablib.import_set(raw.decode(encoding), format="csv")


def dataset_rows(dataset: tablib.Dataset):
    """A tablib dataset as (row number in the file, cells), the header as row 1."""
    yield 1, [cell_text(h) for h in (dataset.headers or [])]
    for index, row in enumerate(dataset, start=2):
        yield index, [cell_text(v) for v in row]


class MemberResource(FormulaSafeResource):
    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(column_name="公民身份号码")
    phone = fields.Field(attribute="phone", column_name="手机号码")
    union_code = fields.Field(attribute="union__code", column_name="所属工会编码")
    enterprise_name = fields.Field(attribute="enterprise__name", column_name="工作单位名称")
    credit_code = fields.Field(attribute="enterprise__credit_code", column_name="统一社会信用代码")
    joined_on = fields.Field(attribute="joined_on", column_name="入会日期")
    employment_form = fields.Field(column_name="就业形态")

    class Meta:
        model = Member
        fields = (
            "name",
            "id_number",
            "phone",
            "union_code",
            "enterprise_name",
            "credit_code",
            "joined_on",
            "employment_form",
        )
        export_order = fields

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._full_ids: dict[int, str] = {}

    # -- export ---------------------------------------------------------------------------------
    def before_export(self, queryset, **kwargs):
        if queryset is not None and services.can_view_full_id(self.user):
            self._full_ids = services.id_numbers_reveal(
                members=queryset.select_related("union"),
                viewer=self.user,
                channel=IdNumberAccess.Channel.EXPORT,
            )

    def dehydrate_id_number(self, member: Member) -> str:
        return self._full_ids.get(member.pk, member.id_number_masked)

    def dehydrate_employment_form(self, member: Member) -> str:
        return member.get_employment_form_display()

    def dehydrate_joined_on(self, member: Member) -> str:
        return member.joined_on.isoformat()

    # -- import: the shared pipeline ------------------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        user = kwargs.get("user") or self.user
        result = Result()
        result.diff_headers = list(ROSTER_HEADERS)
        try:
            report = roster_import(
                rows=roster_rows(dataset_rows(dataset)),
                by=user,
                dry_run=dry_run,
                preview_rows=500,
                file_name=kwargs.get("file_name") or "",
                # The admin hands over the parsed table, not the upload: its digest is the table's.
                sha256=""
                if dry_run
                else hashlib.sha256(dataset.export("csv").encode()).hexdigest(),
            )
        except SpreadsheetError as exc:
            result.append_invalid_row(1, {}, ValidationError(exc.messages))
            return result
        result.total_rows = report.total
        for problem in report.problems:
            result.append_invalid_row(problem.row, {}, ValidationError(problem.messages))
        if report.ok:
            for outcome in report.preview:
                row = RowResult()
                row.import_type = outcome.kind
                # A changed field shows before → after; the ID number is masked (common.importing).
                row.diff = [
                    change.transition
                    if (change := outcome.changed(h))
                    else outcome.values.get(h, "")
                    for h in ROSTER_HEADERS
                ]
                result.append_row_result(row)
            result.totals[RowResult.IMPORT_TYPE_NEW] = report.created
            result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
            result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        return result
