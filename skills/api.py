"""REST API of the skills records under /api/v1/skills/. Thin: serializers check the shape,
services (skills/services.py) do the work, querysets are the selectors scoped to the caller's tree
exactly as in the admin."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from common.api import service_call
from common.importing import SpreadsheetError
from common.spreadsheets import iter_rows
from members.models import Enterprise, Member, Union
from members.permissions import STAFF_PERMISSIONS
from skills import selectors, services
from skills.importing import entry_results_import
from skills.models import (
    Competition,
    CompetitionEntry,
    CraftsmanAcademy,
    CraftsmanVisit,
    GoldenIdea,
    Honour,
    InnovationResult,
    InnovationStudio,
    SkillCertification,
    SkillSession,
    StudioAlliance,
    TechnicalProblem,
)


class UnionCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Union.objects.all(), **kwargs)


class RecordSerializer(serializers.ModelSerializer):
    """Records are addressed by id; unions by their code."""

    union = UnionCodeField()
    union_name = serializers.CharField(source="union.name", read_only=True)


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change a plain record; writes go through `services.record_save`
    (no deletes: records are corrected, never removed)."""

    permission_classes = STAFF_PERMISSIONS
    selector = None

    def get_queryset(self):
        return self.selector(viewer=self.request.user).order_by("-id")

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = service_call(
            services.record_save, instance=instance, by=self.request.user
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = service_call(
            services.record_save, instance=instance, by=self.request.user
        )


# --- entrants (shape shared by competitions and entries) ----------------------------------------


class EntrySerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CompetitionEntry
        fields = ["id", "competition", "member", "member_name", "union", "score", "rank", "award"]
        read_only_fields = ["rank"]


# --- competitions ------------------------------------------------------------------------------


class CompetitionSerializer(RecordSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    entry_count = serializers.SerializerMethodField()

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
            "start_date",
            "end_date",
            "is_merit",
            "key_project",
            "provincial_demo_year",
            "entry_count",
        ]

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
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())


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


class CompetitionViewSet(RecordViewSet):
    serializer_class = CompetitionSerializer
    selector = staticmethod(selectors.competition_list)
    filterset_fields = ["level", "series", "is_merit", "occupation"]
    ordering_fields = ["start_date", "name", "id"]

    def get_queryset(self):
        return (
            self.selector(viewer=self.request.user)
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
        data = ExpertsAwardInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = service_call(
            services.technical_experts_award,
            competition=self.get_object(),
            by=request.user,
            **data.validated_data,
        )
        return Response({"created": len(created), "honours": [h.pk for h in created]})

    @extend_schema(request=EnterInput, responses={201: EntrySerializer})
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        """Enter a member (the portal's sign-up, done by staff)."""
        data = EnterInput(data=request.data)
        data.is_valid(raise_exception=True)
        competition = get_object_or_404(
            selectors.competitions_enterable(viewer=request.user), pk=pk
        )
        entry = service_call(
            services.competition_enter,
            competition=competition,
            member=data.validated_data["member"],
            by=request.user,
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ResultsUploadInput, responses={200: ImportReportOutput, 400: ImportReportOutput}
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def results(self, request, pk=None):
        """Import a results sheet (.xlsx/.csv: 姓名, 公民身份号码, 成绩, 奖项); all or nothing."""
        competition = self.get_object()
        data = ResultsUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            report = service_call(
                entry_results_import,
                competition=competition,
                table=iter_rows(upload.file, upload.name),
                by=request.user,
                dry_run=data.validated_data["dry_run"],
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


class EntryResultInput(serializers.Serializer):
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    award = serializers.ChoiceField(
        choices=CompetitionEntry.Award.choices, required=False, allow_blank=True, default=""
    )


class EntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EntrySerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["competition", "award"]
    ordering_fields = ["rank", "score", "id"]

    def get_queryset(self):
        return selectors.entry_list(viewer=self.request.user).order_by("competition", "rank", "id")

    def create(self, request, *args, **kwargs):
        data = EntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry = service_call(
            services.entry_record,
            competition=v["competition"],
            member=v["member"],
            score=v.get("score"),
            award=v.get("award", ""),
            by=request.user,
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryResultInput, responses={200: EntrySerializer})
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = EntryResultInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = service_call(
            services.entry_set_result, entry=entry, by=request.user, **data.validated_data
        )
        return Response(EntrySerializer(entry).data)


# --- honours -----------------------------------------------------------------------------------


class HonourSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(
        slug_field="code", queryset=Union.objects.all(), required=False, allow_null=True
    )
    enterprise = serializers.SlugRelatedField(
        slug_field="credit_code",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True, default=None)

    class Meta:
        model = Honour
        fields = [
            "id",
            "kind",
            "kind_display",
            "year",
            "awarding_body",
            "member",
            "member_name",
            "collective_name",
            "enterprise",
            "union",
            "competition",
        ]
        validators = []  # the service says, in Chinese, when a person already holds the title


class HonourViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HonourSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["kind", "year", "competition"]
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return selectors.honour_list(viewer=self.request.user).order_by("-year", "id")

    def create(self, request, *args, **kwargs):
        data = HonourSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        honour = service_call(services.honour_award, by=request.user, **data.validated_data)
        return Response(HonourSerializer(honour).data, status=status.HTTP_201_CREATED)


# --- certifications, sessions ------------------------------------------------------------------


class CertificationSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = SkillCertification
        fields = [
            "id",
            "member",
            "member_name",
            "union",
            "level",
            "occupation",
            "certified_on",
            "certificate_no",
        ]
        validators = []


class CertificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CertificationSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["level", "occupation"]

    def get_queryset(self):
        return selectors.certification_list(viewer=self.request.user).order_by("-id")

    def create(self, request, *args, **kwargs):
        data = CertificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = service_call(
            services.skill_certification_register, by=request.user, **data.validated_data
        )
        return Response(CertificationSerializer(cert).data, status=status.HTTP_201_CREATED)


class SessionSerializer(RecordSerializer):
    headcount = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = SkillSession
        fields = [
            "id",
            "kind",
            "title",
            "union",
            "union_name",
            "enterprise",
            "occupation",
            "held_on",
            "headcount",
            "participants",
        ]


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """技术培训 and 岗位练兵 (filter by `kind`)."""

    serializer_class = SessionSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["kind"]
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        return (
            selectors.session_list(viewer=self.request.user)
            .prefetch_related("participants")
            .order_by("-held_on", "id")
        )

    def create(self, request, *args, **kwargs):
        data = SessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = service_call(
            services.skill_session_record, by=request.user, **data.validated_data
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


# --- golden ideas ------------------------------------------------------------------------------


class IdeaSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = GoldenIdea
        fields = [
            "id",
            "member",
            "member_name",
            "union",
            "title",
            "content",
            "submitted_on",
            "status",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {"submitted_on": {"required": False}}


class IdeaStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=GoldenIdea.Status.choices)


class IdeaViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IdeaSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["status"]
    ordering_fields = ["submitted_on", "id"]

    def get_queryset(self):
        return selectors.idea_list(viewer=self.request.user).order_by("-submitted_on", "id")

    def create(self, request, *args, **kwargs):
        data = IdeaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(services.golden_idea_submit, by=request.user, **data.validated_data)
        return Response(IdeaSerializer(idea).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdeaStatusInput, responses={200: IdeaSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = IdeaStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(
            services.golden_idea_set_status,
            idea=self.get_object(),
            status=data.validated_data["status"],
            by=request.user,
        )
        return Response(IdeaSerializer(idea).data)


# --- the plain records -------------------------------------------------------------------------


def _record_viewset(model, selector, fields, filters=()):
    serializer = type(
        f"{model.__name__}Serializer",
        (RecordSerializer,),
        {
            "Meta": type(
                "Meta", (), {"model": model, "fields": ["id", *fields, "union", "union_name"]}
            )
        },
    )
    return type(
        f"{model.__name__}ViewSet",
        (RecordViewSet,),
        {
            "serializer_class": serializer,
            "selector": staticmethod(selector),
            "filterset_fields": list(filters),
            "__doc__": str(model._meta.verbose_name),
        },
    )


AcademyViewSet = _record_viewset(
    CraftsmanAcademy,
    selectors.academy_list,
    ["name", "level", "host", "established_on", "closed_on"],
    ["level"],
)
AllianceViewSet = _record_viewset(
    StudioAlliance,
    selectors.alliance_list,
    ["name", "industry_chain", "leader_enterprise", "founded_on"],
)
StudioViewSet = _record_viewset(
    InnovationStudio,
    selectors.studio_list,
    ["name", "kind", "level", "recognised_year", "enterprise", "leader", "alliance"],
    ["kind", "level", "recognised_year"],
)
VisitViewSet = _record_viewset(
    CraftsmanVisit, selectors.visit_list, ["title", "enterprise", "held_on", "experts"]
)
ResultViewSet = _record_viewset(
    InnovationResult,
    selectors.result_list,
    ["title", "kind", "enterprise", "member", "studio", "idea", "achieved_on"],
    ["kind"],
)
ProblemViewSet = _record_viewset(
    TechnicalProblem,
    selectors.problem_list,
    ["title", "enterprise", "solved_on", "solver", "visit", "studio"],
)
