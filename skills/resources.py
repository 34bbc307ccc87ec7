"""Spreadsheet exports of the skills records for the admin (django-import-export). The admin hands
them its scoped queryset, so a clerk exports only their part of the tree; ID numbers go out masked,
and text that Excel would run as a formula is defused."""

from import_export import fields

from common.resources import FormulaSafeResource
from skills.models import CompetitionEntry, Honour


class EntryResource(FormulaSafeResource):
    competition = fields.Field(attribute="competition__name", column_name="竞赛")
    name = fields.Field(attribute="member__name", column_name="姓名")
    id_number = fields.Field(attribute="member__id_number_masked", column_name="公民身份号码")
    union = fields.Field(attribute="union__name", column_name="所属工会")
    score = fields.Field(attribute="score", column_name="成绩")
    rank = fields.Field(attribute="rank", column_name="名次")
    award = fields.Field(column_name="奖项")

    class Meta:
        model = CompetitionEntry
        fields = ("competition", "name", "id_number", "union", "score", "rank", "award")
        export_order = fields

    def dehydrate_award(self, entry: CompetitionEntry) -> str:
        return entry.get_award_display()


class HonourResource(FormulaSafeResource):
    kind = fields.Field(column_name="称号")
    year = fields.Field(attribute="year", column_name="年度")
    holder = fields.Field(attribute="member__name", column_name="获得者")
    collective = fields.Field(attribute="collective_name", column_name="获得集体")
    enterprise = fields.Field(attribute="enterprise__name", column_name="所在单位")
    union = fields.Field(attribute="union__name", column_name="所属工会")
    awarding_body = fields.Field(attribute="awarding_body", column_name="授予单位")
    competition = fields.Field(attribute="competition__name", column_name="来源竞赛")

    class Meta:
        model = Honour
        fields = (
            "kind",
            "year",
            "holder",
            "collective",
            "enterprise",
            "union",
            "awarding_body",
            "competition",
        )
        export_order = fields

    def dehydrate_kind(self, honour: Honour) -> str:
        return honour.get_kind_display()
