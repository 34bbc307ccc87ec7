"""Competitions and their entries under /api/v1/skills/competitions/ and /entries/."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    ServiceViewSet,
    scoped_union_input,
    service_call,
    service_schema,
)
from common.importing import SpreadsheetError
from common.spreadsheets import iter_rows
from members.scoping import references
from skills import selectors, services
from skills.api._common import RecordOutput, member_input
from skills.importing import entry_results_import
from skills.models import Competition, CompetitionEntry

# --- entrants (shape shared by competitions and entries) ----------------------------------------


class EntryOutput(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CompetitionEntry
        fields = ["id", "competition", "member", "member_name", "union", "score", "rank", "award"]
        read_only_fields = fields


# --- competitions ------------------------------------------------------------------------------


class CompetitionInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    series = serializers.CharField(max_length=50, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=Competition.Level.choices)
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    union = scoped_union_input()
    sponsor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    host = serializers.CharField(max_length=200, required=False, allow_blank=True)
    host_union = scoped_union_input(required=False, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    is_merit = serializers.BooleanField(required=False)
    key_project = serializers.CharField(max_length=200, required=False, allow_blank=True)
    provincial_demo_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )


class CompetitionOutput(RecordOutput):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    entry_count = serializers.SerializerMethodField()
    host_union = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Competition
        fields = [
            "id",
            "name",
            "series",
            "level",
            "level_display",
            "occupation",
            "union",
            "union_name",
            "sponsor",
            "host",
            "host_union",
            "start_date",
            "end_date",
            "is_merit",
            "key_project",
            "provincial_demo_year",
            "entry_count",
        ]
        read_only_fields = fields

    def get_entry_count(self, competition) -> int:
        """Number of entrants (annotated on lists, counted for a single record)."""
        count = getattr(competition, "entry_count", None)
        return competition.entries.count() if count is None else count


class ExpertsAwardInput(serializers.Serializer):
    top_n = serializers.IntegerField(min_value=1, max_value=1000)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    awarding_body = serializers.CharField(
        max_length=200, required=False, default=services.TECHNICAL_EXPERT_BODY
    )


class RankOutput(serializers.Serializer):
    ranked = serializers.IntegerField(help_text="有成绩并已排名的选手数")


class AwardOutput(serializers.Serializer):
    created = serializers.IntegerField(help_text="本次新授予的人数")
    honours = serializers.ListField(child=serializers.IntegerField())


class EnterInput(serializers.Serializer):
    member = member_input()


class ResultsUploadInput(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportReportOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    summary = serializers.CharField()
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField())


@service_schema(CompetitionInput, CompetitionOutput)
class CompetitionViewSet(ServiceViewSet):
    output_serializer = CompetitionOutput
    input_serializer = CompetitionInput
    create_service = staticmethod(services.competition_create)
    update_service = staticmethod(services.competition_update)
    instance_name = "competition"
    filterset_fields = ["level", "series", "is_merit", "occupation"]
    ordering_fields = ["start_date", "name", "id"]

    def get_queryset(self):
        return (
            selectors.competition_list(viewer=self.request.user)
            .annotate(entry_count=Count("entries"))
            .order_by("-start_date", "id")
        )

    @extend_schema(request=None, responses={200: RankOutput})
    @action(detail=True, methods=["post"])
    def rank(self, request, pk=None):
        """Derive the ranks from the scores (standard competition ranking: 1, 1, 3)."""
        ranked = service_call(
            services.competition_rank, competition=self.get_object(), by=request.user
        )
        return Response({"ranked": ranked})

    @extend_schema(request=ExpertsAwardInput, responses={200: AwardOutput})
    @action(detail=True, methods=["post"], url_path="award-experts")
    def award_experts(self, request, pk=None):
        """Name the top N entrants 技术能手 (ties at the cut-off included; idempotent)."""
        data = self.read_input(ExpertsAwardInput)
        created = service_call(
            services.technical_experts_award,
            competition=self.get_object(),
            by=request.user,
            **data,
        )
        return Response({"created": len(created), "honours": [h.pk for h in created]})

    @extend_schema(request=EnterInput, responses={201: EntryOutput})
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        """Enter a member of the caller's tree (the portal's sign-up, done by staff). A
        competition run by a union above the caller may be entered too."""
        # DRF's get_object_or_404: a malformed id in the path is a 404, not a ValueError (500).
        competition = get_object_or_404(references(Competition, request.user), pk=pk)
        data = self.read_input(EnterInput)
        entry = service_call(
            services.entry_record, competition=competition, member=data["member"], by=request.user
        )
        return self.respond_entry(entry)

    def respond_entry(self, entry):
        return Response(EntryOutput(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ResultsUploadInput,
        # A 400 is either this report (ok false) or an input error ({"file": [...]}, ...): the
        # shared error body of common.schema describes both.
        responses={200: ImportReportOutput},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def results(self, request, pk=None):
        """Import a results sheet (.xlsx/.csv: 姓名, 公民身份号码, 成绩, 奖项); all or nothing."""
        competition = self.get_object()
        data = self.read_input(ResultsUploadInput)
        upload = data["file"]
        try:
            report = service_call(
                entry_results_import,
                competition=competition,
                table=iter_rows(upload.file, upload.name),
                by=request.user,
                dry_run=data["dry_run"],
            )
        except SpreadsheetError as exc:
            return Response({"file": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        body = {
            "ok": report.ok,
            "summary": report.summary(),
            "total": report.total,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "problems": [str(p) for p in report.problems],
        }
        return Response(body, status=status.HTTP_200_OK if report.ok else 400)


# --- entries -----------------------------------------------------------------------------------


class EntryInput(serializers.Serializer):
    # A competition run above the caller (a city competition) may be entered from below.
    competition = ScopedPrimaryKeyRelatedField(model=Competition)
    member = member_input()
    score = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )
    award = serializers.ChoiceField(
        choices=CompetitionEntry.Award.choices, required=False, allow_blank=True
    )


class EntryResultInput(serializers.Serializer):
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    award = serializers.ChoiceField(
        choices=CompetitionEntry.Award.choices, required=False, allow_blank=True, default=""
    )


class EntryViewSet(ScopedReadViewSet):
    output_serializer = EntryOutput
    filterset_fields = ["competition", "award"]
    ordering_fields = ["rank", "score", "id"]

    def get_queryset(self):
        return selectors.entry_list(viewer=self.request.user).order_by("competition", "rank", "id")

    @extend_schema(request=EntryInput, responses={201: EntryOutput})
    def create(self, request, *args, **kwargs):
        data = self.read_input(EntryInput)
        entry = service_call(services.entry_record, by=request.user, **data)
        return self.respond(entry, status.HTTP_201_CREATED)

    @extend_schema(request=EntryResultInput, responses={200: EntryOutput})
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = self.read_input(EntryResultInput)
        entry = service_call(services.entry_set_result, entry=entry, by=request.user, **data)
        return self.respond(entry)

    @extend_schema(request=EntryResultInput, responses={200: EntryOutput})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)
