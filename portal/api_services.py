"""More of the member API (/api/v1/me/): a claim's detail and withdrawal, the year's
mutual-aid cover, hardship aid, recuperation sign-up, job fairs and training courses, legal
consultation, transfer requests, honours and certificates, golden ideas, stations near me,
corrections and who viewed my full ID number.

Built like portal/api.py: input and output serializers, the same service the portal's page calls
with `MemberActor`, and lookups among the member's own rows only, so another member's id answers
404 exactly like one that does not exist."""

from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from members import selectors as members_selectors
from members import services as members_services
from members.models import Union
from portal import pipl
from portal.api import (
    LIST_LIMIT,
    STEP_UP_RESPONSES,
    MemberView,
    _step_up_code_field,
    step_up_refusal,
)
from portal.models_account import CorrectionRequest
from skills import selectors as skill_selectors
from skills import services as skill_services
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services
from welfare.models import HardshipCase

NOT_FOUND = OpenApiResponse(description=_("没有找到（或不是您本人的记录）"))


# --- 互助申请详情与撤回 -------------------------------------------------------------------------


class MeClaimEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    from_state = serializers.CharField(source="get_from_state_display")
    to_state = serializers.CharField(source="get_to_state_display")
    by_member = serializers.BooleanField(help_text=_("是否会员本人操作"))
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField()


class MeClaimDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    plan = serializers.CharField(source="enrolment.line.plan")
    line = serializers.CharField(source="enrolment.line")
    category = serializers.CharField(source="get_category_display")
    hospital = serializers.CharField()
    admitted_on = serializers.DateField()
    discharged_on = serializers.DateField()
    total_expenses = serializers.DecimalField(max_digits=12, decimal_places=2)
    eligible_expenses = serializers.DecimalField(max_digits=12, decimal_places=2)
    allowed_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    rejection_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    can_withdraw = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def get_can_withdraw(self, claim) -> bool:
        return claim.state in claim.OPEN_STATES

    @extend_schema_field(MeClaimEventOutput(many=True))
    def get_events(self, claim) -> list:
        events = sorted(claim.events.all(), key=lambda event: event.at)
        return MeClaimEventOutput(events, many=True).data


class MeWithdrawInput(serializers.Serializer):
    confirm = serializers.BooleanField(help_text=_("确认撤回，须为 true"))


class ClaimDetailView(MemberView):
    """One of the member's own claims with its history; POST withdraws it while it is open."""

    def _claim(self, pk: int):
        # Whatever id is in the URL, only the person's own claims are looked in.
        return get_object_or_404(welfare_selectors.member_claims(member=self.request.member), pk=pk)

    @extend_schema(tags=["me"], responses={200: MeClaimDetailOutput, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(MeClaimDetailOutput(self._claim(pk)).data)

    @extend_schema(
        tags=["me"],
        operation_id="v1_me_claims_withdraw",
        request=MeWithdrawInput,
        responses={
            200: MeClaimDetailOutput,
            400: OpenApiResponse(description=_("未确认，或申请已不能撤回")),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        claim = self._claim(pk)
        data = MeWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return Response(
                {"confirm": [_("请确认撤回这份申请。")]}, status=status.HTTP_400_BAD_REQUEST
            )
        claim = service_call(welfare_services.claim_withdraw, claim=claim, by=self.actor)
        return Response(MeClaimDetailOutput(self._claim(claim.pk)).data)


# --- 本年度互助保障 -----------------------------------------------------------------------------


class MeCoverInput(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text=_("年度，默认今年")
    )


class MeCoverOutput(serializers.Serializer):
    plan = serializers.CharField(source="line.plan")
    year = serializers.IntegerField(source="line.plan.year")
    line = serializers.CharField(source="line.name")
    kind = serializers.CharField(source="line.get_kind_display")
    period_start = serializers.DateField(source="line.plan.period_start")
    period_end = serializers.DateField(source="line.plan.period_end")
    enrolled_on = serializers.DateField()


class CoverView(MemberView):
    """The mutual-aid lines the member is enrolled in for a year (this year by default)."""

    @extend_schema(
        tags=["me"],
        parameters=[OpenApiParameter("year", int, required=False, description=_("年度"))],
        responses={200: MeCoverOutput(many=True), 400: OpenApiResponse(description=_("年度有误"))},
    )
    def get(self, request):
        data = MeCoverInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        year = data.validated_data.get("year", timezone.localdate().year)
        rows = (
            welfare_selectors.member_enrolments(member=request.member)
            .filter(line__plan__year=year)
            .order_by("line__plan__period_start", "pk")[:LIST_LIMIT]
        )
        return Response(MeCoverOutput(rows, many=True).data)


# --- 困难帮扶申请 -------------------------------------------------------------------------------


class MeHardshipInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=HardshipCase.Category.choices)
    application = serializers.CharField(
        max_length=2000, help_text=_("家庭人口、收入、支出和遇到的困难")
    )
    confirm_card = serializers.BooleanField(
        required=False, default=False, help_text=_("已登记银行卡时：确认帮扶金打入该卡")
    )
    bank_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("尚未登记银行卡时填写")
    )
    card_number = serializers.CharField(
        max_length=23, required=False, allow_blank=True, help_text=_("尚未登记银行卡时填写")
    )
    code = _step_up_code_field()


class MeHardshipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="get_category_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    applied_on = serializers.DateField()
    application = serializers.CharField()
    refusal_reason = serializers.CharField()
    assessed_on = serializers.DateField()
    aid_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    aid_paid_on = serializers.DateField()


class HardshipView(MemberView):
    """The member's hardship applications; POST applies. With a registered card the member
    confirms it; without one the card is registered in the same request, which (like the
    portal's page and bank-card/) needs a fresh SMS code."""

    @extend_schema(tags=["me"], responses={200: MeHardshipOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_hardship_cases(member=request.member)[:LIST_LIMIT]
        return Response(MeHardshipOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"], request=MeHardshipInput, responses={201: MeHardshipOutput, **STEP_UP_RESPONSES}
    )
    def post(self, request):
        data = MeHardshipInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        card = welfare_services.bank_card_current(member=request.member)
        card_fields = None
        if card is not None:
            if not fields["confirm_card"]:
                return Response(
                    {"confirm_card": [_("请确认收款银行卡；如需更换，请先到“收款银行卡”更换。")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        else:
            card_fields = {
                "bank_name": fields.get("bank_name", ""),
                "card_number": fields.get("card_number", ""),
            }
            missing = {
                name: [_("尚未登记收款银行卡，请填写。")]
                for name, value in card_fields.items()
                if not value
            }
            if missing:
                return Response(missing, status=status.HTTP_400_BAD_REQUEST)
            refusal = step_up_refusal(request, fields.get("code", ""))
            if refusal is not None:
                return refusal
        # One transaction: a refused application leaves no new card behind either.
        with transaction.atomic():
            if card_fields is not None:
                card = service_call(welfare_services.bank_card_set, by=self.actor, **card_fields)
            case = service_call(
                welfare_services.hardship_case_apply,
                by=self.actor,
                bank_card=card,
                category=fields["category"],
                application=fields["application"],
            )
        return Response(MeHardshipOutput(case).data, status=status.HTTP_201_CREATED)


# --- 疗休养报名 ---------------------------------------------------------------------------------


class MeProgrammeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(source="get_kind_display")
    union = serializers.CharField(source="union.name")
    destination = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField()
    places_left = serializers.SerializerMethodField()
    signed_up = serializers.SerializerMethodField()

    def get_places_left(self, programme) -> int:
        return max(programme.capacity - programme.taken, 0)

    def get_signed_up(self, programme) -> bool:
        return programme.pk in self.context["taken"]


class MeRecuperationPlaceOutput(serializers.Serializer):
    programme = serializers.IntegerField(source="programme_id")
    name = serializers.CharField(source="programme.name")
    destination = serializers.CharField(source="programme.destination")
    starts_on = serializers.DateField(source="programme.starts_on")
    ends_on = serializers.DateField(source="programme.ends_on")


class MeRecuperationOutput(serializers.Serializer):
    open = MeProgrammeOutput(many=True)
    mine = MeRecuperationPlaceOutput(many=True)


class MeSignUpInput(serializers.Serializer):
    programme = serializers.IntegerField(help_text=_("向本人开放报名的疗休养项目"))


class RecuperationView(MemberView):
    """Programmes open to the member (organised by their union or one above, not yet started),
    with the places left, and the member's own places; POST signs up for one of the open ones
    (any other id: not found). Places go first come first served under the programme's lock."""

    def _offered(self):
        return welfare_selectors.member_recuperation_programmes_open(
            member=self.request.member, on=timezone.localdate()
        )

    @extend_schema(tags=["me"], responses={200: MeRecuperationOutput})
    def get(self, request):
        mine = welfare_selectors.member_recuperation_sign_ups(member=request.member)
        taken = set(mine.values_list("programme_id", flat=True))
        offered = self._offered().annotate(taken=Count("participants")).select_related("union")
        return Response(
            {
                "open": MeProgrammeOutput(
                    offered[:LIST_LIMIT], many=True, context={"taken": taken}
                ).data,
                "mine": MeRecuperationPlaceOutput(mine[:LIST_LIMIT], many=True).data,
            }
        )

    @extend_schema(
        tags=["me"],
        request=MeSignUpInput,
        responses={
            201: MeRecuperationPlaceOutput,
            400: OpenApiResponse(description=_("名额已满或已报名")),
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        data = MeSignUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        programme = self._offered().filter(pk=data.validated_data["programme"]).first()
        if programme is None:
            return Response(
                {"detail": _("没有找到可报名的疗休养项目。")}, status=status.HTTP_404_NOT_FOUND
            )
        place = service_call(
            welfare_services.recuperation_sign_up, programme=programme, by=self.actor
        )
        return Response(MeRecuperationPlaceOutput(place).data, status=status.HTTP_201_CREATED)


# --- 湖工助业：招聘会和培训 ---------------------------------------------------------------------


class MeJobFairEmployerOutput(serializers.Serializer):
    name = serializers.CharField()
    positions = serializers.IntegerField()


class MeJobFairOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    union = serializers.CharField(source="union.name")
    held_on = serializers.DateField()
    place = serializers.CharField()
    online = serializers.BooleanField()
    employers = MeJobFairEmployerOutput(many=True, source="employers.all")


class MeCourseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    trade = serializers.CharField()
    union = serializers.CharField(source="union.name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    signed_up = serializers.SerializerMethodField()

    def get_signed_up(self, course) -> bool:
        return course.pk in self.context["taken"]


class MeTraineeOutput(serializers.Serializer):
    course = serializers.IntegerField(source="course_id")
    title = serializers.CharField(source="course.title")
    starts_on = serializers.DateField(source="course.starts_on")
    ends_on = serializers.DateField(source="course.ends_on")
    completed = serializers.BooleanField()


class MeJobsOutput(serializers.Serializer):
    fairs = MeJobFairOutput(many=True)
    courses = MeCourseOutput(many=True)
    mine = MeTraineeOutput(many=True)


class MeCourseSignUpInput(serializers.Serializer):
    course = serializers.IntegerField(help_text=_("向本人开放报名的培训班"))


class JobsView(MemberView):
    """湖工助业: upcoming job fairs and open training courses in the member's district or
    city-wide, and the member's own course places."""

    @extend_schema(tags=["me"], responses={200: MeJobsOutput})
    def get(self, request):
        member = request.member
        today = timezone.localdate()
        mine = welfare_selectors.member_training_sign_ups(member=member)
        taken = set(mine.values_list("course_id", flat=True))
        courses = welfare_selectors.member_training_courses_open(member=member, on=today)
        fairs = welfare_selectors.member_job_fairs_upcoming(member=member, on=today)
        return Response(
            {
                "fairs": MeJobFairOutput(fairs[:LIST_LIMIT], many=True).data,
                "courses": MeCourseOutput(
                    courses[:LIST_LIMIT], many=True, context={"taken": taken}
                ).data,
                "mine": MeTraineeOutput(mine[:LIST_LIMIT], many=True).data,
            }
        )


class CourseSignUpView(MemberView):
    """Sign up for one of the courses open to the member (any other id: not found)."""

    @extend_schema(
        tags=["me"],
        request=MeCourseSignUpInput,
        responses={
            201: MeTraineeOutput,
            400: OpenApiResponse(description=_("已报名或已开班")),
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        data = MeCourseSignUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        course = (
            welfare_selectors.member_training_courses_open(
                member=request.member, on=timezone.localdate()
            )
            .filter(pk=data.validated_data["course"])
            .first()
        )
        if course is None:
            return Response(
                {"detail": _("没有找到可报名的培训班。")}, status=status.HTTP_404_NOT_FOUND
            )
        place = service_call(welfare_services.training_sign_up, course=course, by=self.actor)
        return Response(MeTraineeOutput(place).data, status=status.HTTP_201_CREATED)


# --- 法律咨询 -----------------------------------------------------------------------------------


class MeLegalInput(serializers.Serializer):
    topic = serializers.CharField(max_length=200, help_text=_("事由，如：拖欠工资、工伤认定"))
    question = serializers.CharField(
        max_length=3000, help_text=_("具体情况：时间、单位和经过，不要填写他人的个人信息")
    )


class MeLegalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    union = serializers.CharField(source="union.name")
    asked_on = serializers.DateField()
    topic = serializers.CharField()
    question = serializers.CharField()
    answered = serializers.SerializerMethodField()
    advice = serializers.CharField(help_text=_("律师的解答，未解答时为空"))
    lawyer = serializers.CharField()

    def get_answered(self, consultation) -> bool:
        return bool(consultation.advice)


class LegalView(MemberView):
    """The member's own legal questions with the lawyers' answers; POST asks a new one of the
    member's union (at most 5 a day)."""

    @extend_schema(tags=["me"], responses={200: MeLegalOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_legal_consultations(member=request.member).select_related(
            "union"
        )
        return Response(MeLegalOutput(rows[:LIST_LIMIT], many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeLegalInput,
        responses={
            201: MeLegalOutput,
            400: OpenApiResponse(description=_("内容不完整或超出当日次数")),
        },
    )
    def post(self, request):
        data = MeLegalInput(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = service_call(
            welfare_services.legal_consultation_ask, by=self.actor, **data.validated_data
        )
        return Response(MeLegalOutput(consultation).data, status=status.HTTP_201_CREATED)


class LegalDetailView(MemberView):
    """One of the member's own questions (another's id: not found)."""

    @extend_schema(tags=["me"], responses={200: MeLegalOutput, 404: NOT_FOUND})
    def get(self, request, pk: int):
        consultation = get_object_or_404(
            welfare_selectors.member_legal_consultations(member=request.member), pk=pk
        )
        return Response(MeLegalOutput(consultation).data)


# --- 会员关系转接 -------------------------------------------------------------------------------


class MeTransferInput(serializers.Serializer):
    code = serializers.CharField(
        max_length=32, help_text=_("转入基层工会的代码（向新单位工会询问）")
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate_code(self, value: str) -> Union:
        # Union names and codes are not personal: any grassroots union of the city may receive.
        found = Union.objects.filter(level=Union.Level.GRASSROOTS, code=value.strip()).first()
        if found is None:
            raise serializers.ValidationError(_("未找到该基层工会，请核对工会代码后重试。"))
        return found


class MeTransferOutput(serializers.Serializer):
    id = serializers.IntegerField()
    from_union = serializers.CharField(source="from_union.name")
    to_union = serializers.CharField(source="to_union.name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()
    refusal_reason = serializers.CharField()


class TransferView(MemberView):
    """The member's own transfer requests; POST asks to move the membership to another
    grassroots union, named by its code: their union approves the move out, the receiving union
    accepts."""

    @extend_schema(tags=["me"], responses={200: MeTransferOutput(many=True)})
    def get(self, request):
        rows = members_selectors.member_own_transfers(member=request.member)[:LIST_LIMIT]
        return Response(MeTransferOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeTransferInput,
        responses={
            201: MeTransferOutput,
            400: OpenApiResponse(description=_("工会代码有误、同一工会或已有进行中的转接")),
        },
    )
    def post(self, request):
        data = MeTransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = service_call(
            members_services.transfer_request_by_member,
            to_union=data.validated_data["code"],
            note=data.validated_data.get("note", ""),
            by=self.actor,
        )
        return Response(MeTransferOutput(transfer).data, status=status.HTTP_201_CREATED)


# --- 荣誉和证书 ---------------------------------------------------------------------------------


class MeHonourOutput(serializers.Serializer):
    kind = serializers.CharField(source="get_kind_display")
    year = serializers.IntegerField()
    awarding_body = serializers.CharField()


class MeCertificationOutput(serializers.Serializer):
    level = serializers.CharField(source="get_level_display")
    occupation = serializers.CharField()
    certified_on = serializers.DateField()
    certificate_no = serializers.CharField()


class MeHonoursOutput(serializers.Serializer):
    honours = MeHonourOutput(many=True)
    certifications = MeCertificationOutput(many=True)


class HonoursView(MemberView):
    """The member's own titles (劳模, 工匠...) and skill certificates."""

    @extend_schema(tags=["me"], responses={200: MeHonoursOutput})
    def get(self, request):
        member = request.member
        out = MeHonoursOutput(
            {
                "honours": skill_selectors.member_honours(member=member)[:LIST_LIMIT],
                "certifications": skill_selectors.member_certifications(member=member)[:LIST_LIMIT],
            }
        )
        return Response(out.data)


# --- 金点子 -------------------------------------------------------------------------------------


class MeIdeaInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(
        max_length=5000, help_text=_("现在存在什么问题、怎样改进、能带来什么效果")
    )
    photo = serializers.FileField(
        required=False, help_text=_("可选，一张 JPG 或 PNG 照片，不超过 10 MB")
    )


class MeIdeaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    submitted_on = serializers.DateField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    has_photo = serializers.SerializerMethodField()

    def get_has_photo(self, idea) -> bool:
        return bool(idea.photo)


class IdeasView(MemberView):
    """The member's own golden ideas (金点子) and what became of them; POST submits one, with at
    most one photo (multipart)."""

    @extend_schema(tags=["me"], responses={200: MeIdeaOutput(many=True)})
    def get(self, request):
        rows = skill_selectors.member_ideas(member=request.member)[:LIST_LIMIT]
        return Response(MeIdeaOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request={"multipart/form-data": MeIdeaInput, "application/json": MeIdeaInput},
        responses={201: MeIdeaOutput, 400: OpenApiResponse(description=_("内容不完整或照片有误"))},
    )
    def post(self, request):
        data = MeIdeaInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(
            skill_services.golden_idea_submit,
            member=request.member,
            by=self.actor,
            **data.validated_data,
        )
        return Response(MeIdeaOutput(idea).data, status=status.HTTP_201_CREATED)


# --- 附近的站点 ---------------------------------------------------------------------------------


class MeStationsInput(serializers.Serializer):
    # Union names are not personal data: every district may be asked for.
    district = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.filter(level=Union.Level.DISTRICT),
        required=False,
        help_text=_("区县工会的 id；不填为全市"),
        error_messages={
            "does_not_exist": _("没有这个区县。"),
            "incorrect_type": _("区县应填写编号。"),
        },
    )


class MeStationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    address = serializers.CharField()
    union = serializers.CharField(source="union.name")
    opening_hours = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    open_now = serializers.SerializerMethodField(
        help_text=_("现在是否开放；开放时间无法识别时为 null")
    )

    def get_open_now(self, station) -> bool | None:
        return welfare_selectors.station_open_at(station, self.context["now"])


class StationsView(MemberView):
    """Outdoor workers' stations and 妈咪暖心小屋, city-wide or in one district, open now first."""

    @extend_schema(
        tags=["me"],
        parameters=[
            OpenApiParameter("district", int, required=False, description=_("区县工会 id"))
        ],
        responses={
            200: MeStationOutput(many=True),
            400: OpenApiResponse(description=_("区县有误")),
        },
    )
    def get(self, request):
        data = MeStationsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        stations = welfare_selectors.stations_near_me(district=data.validated_data.get("district"))
        rows = MeStationOutput(stations[:200], many=True, context={"now": now}).data
        order = {True: 0, None: 1, False: 2}
        return Response(sorted(rows, key=lambda row: order[row["open_now"]]))


# --- 个人信息更正、谁查看了我的完整身份证号 -----------------------------------------------------


class MeCorrectionInput(serializers.Serializer):
    item = serializers.CharField(max_length=100, help_text=_("哪项信息有误，如：姓名、手机号"))
    body = serializers.CharField(max_length=1000, help_text=_("正确的内容"))


class MeCorrectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField()
    body = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    submitted_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField()
    resolution = serializers.CharField(help_text=_("工会的处理说明"))


class CorrectionsView(MemberView):
    """The member's own correction requests (PIPL art. 46); POST asks their union to correct
    an item of their record (at most 5 open at once)."""

    @extend_schema(tags=["me"], responses={200: MeCorrectionOutput(many=True)})
    def get(self, request):
        rows = CorrectionRequest.objects.filter(
            member__id_number_hash=request.member.id_number_hash
        )[:LIST_LIMIT]
        return Response(MeCorrectionOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeCorrectionInput,
        responses={201: MeCorrectionOutput, 400: OpenApiResponse(description=_("内容不完整"))},
    )
    def post(self, request):
        data = MeCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        correction = service_call(
            pipl.correction_request_submit, by=self.actor, **data.validated_data
        )
        return Response(MeCorrectionOutput(correction).data, status=status.HTTP_201_CREATED)


class MeIdViewOutput(serializers.Serializer):
    union = serializers.CharField(help_text=_("查看人所在工会"))
    role = serializers.CharField(help_text=_("查看人的角色（不显示账号）"))
    at = serializers.DateTimeField()
    channel = serializers.CharField()


class IdViewsView(MemberView):
    """Who viewed the member's full ID number: the viewer's union and role, newest first."""

    @extend_schema(tags=["me"], responses={200: MeIdViewOutput(many=True)})
    def get(self, request):
        views = pipl.id_number_views(member=request.member)[:LIST_LIMIT]
        return Response(MeIdViewOutput(views, many=True).data)
