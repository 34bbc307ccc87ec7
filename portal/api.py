"""The member JSON API under /api/v1/me/, for the federation's WeChat service account and its
浙里办 channel: the portal's features for a member token.

- Sign-in: `sign-in/code/` sends an SMS code, `sign-in/` answers a member token (members.tokens:
  hashed, expiring). Both are rate-limited like the portal's pages, and a wrong code or a wrong
  name / ID counts against the sign-in lockout (portal/lockout.py: by number, by the `device_key`
  sent, and by address only up to a much higher ceiling).
- Everything else needs `Authorization: Token <member token>`. A staff token or a staff session
  is refused here (403), and a member token is refused by every staff endpoint (their permission
  needs a staff user). A member reads and acts on their own records only: ids in a body are
  looked up among the member's own rows, never the whole table.

Each view checks its input with an input serializer, calls a service with `MemberActor`, and
shapes the answer with an output serializer."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from activities import services as activity_services
from common.api import service_call
from members.actors import MemberActor
from members.models import AccessToken, Member
from members.tokens import AccessTokenAuthentication, token_revoke
from portal import account, lockout, pipl, ratelimits, selectors, services, stepup
from portal.models import MemberNotice, PersonalDataExport, SmsCode
from skills import selectors as skill_selectors
from skills import services as skill_services
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services

LIST_LIMIT = 100


def exc_code(exc: ValidationError) -> str | None:
    return getattr(exc, "code", None)


def _problem(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}


class IsMember(BasePermission):
    """A live member token whose person is an active member now. Staff tokens and staff
    sessions are not member tokens."""

    message = _("请使用会员令牌（短信验证码登录获得）。")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, AccessToken) or token.kind != AccessToken.Kind.MEMBER:
            return False
        member = (
            Member.objects.select_related("union")
            .filter(id_number_hash=token.member_id_hash, status=Member.Status.ACTIVE)
            .first()
        )
        if member is None:
            self.message = _("您目前没有在会的会籍，请联系工会。")
            return False
        request.member = member
        return True


class MemberView(APIView):
    authentication_classes = [AccessTokenAuthentication]
    permission_classes = [IsMember]

    @property
    def actor(self) -> MemberActor:
        return MemberActor(self.request.member)


# --- step-up: a fresh SMS code in the same request ------------------------------------------


STEP_UP_NEEDED = _(
    "此操作需要短信验证：请先获取验证码（step-up/code/），再把收到的6位验证码随本请求提交。"
)


def step_up_refusal(request, code: str) -> Response | None:
    """None if `code` is the member's live step-up code (it is used up); otherwise the answer:
    403 when no code was sent, 400 when it is wrong or expired. Answered, not raised, so a wrong
    try stays counted (the request's transaction commits)."""
    if not code:
        return Response({"detail": STEP_UP_NEEDED}, status=status.HTTP_403_FORBIDDEN)
    try:
        stepup.step_up_check(member=request.member, code=code)
    except ValidationError as exc:
        return Response(_problem(exc), status=status.HTTP_400_BAD_REQUEST)
    return None


def _step_up_code_field():
    return serializers.RegexField(
        r"^\d{6}$",
        required=False,
        allow_blank=True,
        help_text=_("刚收到的短信验证码（step-up/code/），缺少时答复403"),
    )


STEP_UP_RESPONSES = {
    400: OpenApiResponse(description=_("验证码不正确或已失效")),
    403: OpenApiResponse(description=_("缺少短信验证码")),
}


# --- sign-in -----------------------------------------------------------------------------------


class CodeInput(serializers.Serializer):
    phone = serializers.CharField(max_length=14)
    device_key = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=_("此前登录得到的设备标识（如有）；发送次数按设备计。"),
    )


class SignInInput(serializers.Serializer):
    phone = serializers.CharField(max_length=14)
    code = serializers.RegexField(r"^\d{6}$")
    device_key = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_last6 = serializers.RegexField(r"^\d{5}[\dXx]$", required=False, allow_blank=True)


class SignInOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    device_key = serializers.CharField(help_text=_("下次登录时带上，此设备无需再核对身份。"))


class SignInCodeView(APIView):
    """POST a mobile number: an SMS code is sent (one per 60 s, 10 a day per number)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["me"],
        request=CodeInput,
        responses={204: None, 400: OpenApiResponse(description=_("号码有误或发送太频繁"))},
    )
    def post(self, request):
        data = CodeInput(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        try:
            phone = services.clean_phone(data.validated_data["phone"])
            ratelimits.hit(
                http_request,
                ratelimits.SMS_SEND,
                phone=phone,
                device=data.validated_data.get("device_key", ""),
            )
            services.sms_code_send(phone=phone, purpose=SmsCode.Purpose.SIGN_IN)
        except ValidationError as exc:
            # Answered, not raised: a raised error would roll back the rate-limit count.
            return Response(_problem(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignInView(APIView):
    """POST phone + code (+ name + last 6 of the ID number on a device not bound yet): a member
    token. Wrong answers count toward the sign-in lockout (429 once locked)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["me"],
        request=SignInInput,
        responses={
            200: SignInOutput,
            400: OpenApiResponse(description=_("验证码或身份信息不正确")),
            429: OpenApiResponse(description=_("失败次数过多，已锁定")),
        },
    )
    def post(self, request):
        data = SignInInput(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        phone = data.validated_data["phone"]
        device = data.validated_data.get("device_key", "")
        if (wait := lockout.locked_for(http_request, phone, device=device)) is not None:
            return lockout.lockout_response(http_request, wait=wait)
        try:
            ratelimits.hit(http_request, ratelimits.SIGN_IN, phone=phone, device=device)
            signed_in = account.member_token_sign_in(**data.validated_data)
        except ValidationError as exc:
            if not isinstance(exc, account.BindRequired) and exc_code(exc) != "rate_limited":
                lockout.failed(http_request, phone, sender=type(self), device=device)
            return Response(_problem(exc), status=status.HTTP_400_BAD_REQUEST)
        out = SignInOutput(
            {
                "token": signed_in.key,
                "expires_at": signed_in.token.expires_at,
                "device_key": signed_in.device_key,
            }
        )
        return Response(out.data)


class SignOutView(MemberView):
    @extend_schema(tags=["me"], request=None, responses={204: None})
    def post(self, request):
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reads and actions -------------------------------------------------------------------------


class CardOutput(serializers.Serializer):
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    union = serializers.CharField(source="union.name")
    joined_on = serializers.DateField()
    employment_form = serializers.CharField(source="get_employment_form_display")
    phone_masked = serializers.SerializerMethodField()
    card_token = serializers.SerializerMethodField(
        help_text=_("电子会员证二维码内容，几分钟后过期")
    )

    def get_phone_masked(self, member) -> str:
        return f"{member.phone[:3]}****{member.phone[-4:]}" if member.phone else ""

    def get_card_token(self, member) -> str:
        return services.card_token(member=member)


class MeView(MemberView):
    """The member's card: name, masked ID number, union, joined date; a fresh e-card token."""

    @extend_schema(tags=["me"], responses={200: CardOutput})
    def get(self, request):
        return Response(CardOutput(request.member).data)


class MeAttendanceOutput(serializers.Serializer):
    activity = serializers.CharField(source="activity.title")
    union = serializers.CharField(source="activity.union.name")
    starts_at = serializers.DateTimeField(source="activity.starts_at")
    method = serializers.CharField(source="get_method_display")


class AttendanceView(MemberView):
    @extend_schema(tags=["me"], responses={200: MeAttendanceOutput(many=True)})
    def get(self, request):
        rows = selectors.member_attendances(member=request.member)[:LIST_LIMIT]
        return Response(MeAttendanceOutput(rows, many=True).data)


class MeConcernInput(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=2000)
    contact = serializers.CharField(max_length=50, required=False, allow_blank=True)


class MeConcernOutput(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField(source="get_status_display")
    raised_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True, help_text=_("未回复时为 null"))


class ConcernsView(MemberView):
    @extend_schema(tags=["me"], responses={200: MeConcernOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_concerns(member=request.member)[:LIST_LIMIT]
        return Response(MeConcernOutput(rows, many=True).data)

    @extend_schema(tags=["me"], request=MeConcernInput, responses={201: MeConcernOutput})
    def post(self, request):
        data = MeConcernInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = request.member
        service_call(
            services.rate_limit,
            key=f"concern:{member.id_number_hash}",
            limit=10,
            window=dt.timedelta(days=1),
        )
        concern = service_call(welfare_services.concern_raise, by=self.actor, **data.validated_data)
        return Response(MeConcernOutput(concern).data, status=status.HTTP_201_CREATED)


class MeCompetitionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    union = serializers.CharField(source="union.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class MeEntryOutput(serializers.Serializer):
    competition = MeCompetitionOutput()
    # Both are null until the organisers record the results.
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    award = serializers.CharField(source="get_award_display")


class CompetitionsOutput(serializers.Serializer):
    open = MeCompetitionOutput(many=True)
    entries = MeEntryOutput(many=True)


class MeEnterInput(serializers.Serializer):
    competition = serializers.IntegerField()


class CompetitionsView(MemberView):
    """Competitions open to the member (run by their union or above) and their own entries."""

    @extend_schema(tags=["me"], responses={200: CompetitionsOutput})
    def get(self, request):
        member = request.member
        today = timezone.localdate()
        out = CompetitionsOutput(
            {
                "open": skill_selectors.member_competitions_open(member=member, on=today)
                .select_related("union")
                .order_by("end_date")[:LIST_LIMIT],
                "entries": skill_selectors.member_entries(member=member).select_related(
                    "competition__union"
                )[:LIST_LIMIT],
            }
        )
        return Response(out.data)


class CompetitionEnterView(MemberView):
    """Enter one of the competitions open to the member (any other id: not found)."""

    @extend_schema(tags=["me"], request=MeEnterInput, responses={201: MeEntryOutput, 404: None})
    def post(self, request):
        data = MeEnterInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = request.member
        competition = (
            skill_selectors.member_competitions_open(member=member, on=timezone.localdate())
            .filter(pk=data.validated_data["competition"])
            .first()
        )
        if competition is None:
            return Response(
                {"detail": _("没有找到可报名的竞赛。")}, status=status.HTTP_404_NOT_FOUND
            )
        entry = service_call(
            skill_services.competition_enter,
            competition=competition,
            member=member,
            by=self.actor,
        )
        return Response(MeEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class MeCheckInInput(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text=_("活动签到二维码中的 token"))


class MeCheckInOutput(serializers.Serializer):
    activity = serializers.CharField()
    created = serializers.BooleanField()
    message = serializers.CharField()


class CheckInView(MemberView):
    @extend_schema(tags=["me"], request=MeCheckInInput, responses={200: MeCheckInOutput})
    def post(self, request):
        data = MeCheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = request.member
        result = service_call(
            activity_services.attendance_check_in,
            token=data.validated_data["token"],
            member=member,
            by=self.actor,
        )
        return Response(
            MeCheckInOutput(
                {
                    "activity": str(result.attendance.activity.title),
                    "created": result.created,
                    "message": str(result.message),
                }
            ).data
        )


class NoticeOutput(serializers.Serializer):
    body = serializers.CharField()
    url = serializers.CharField()
    sent_at = serializers.DateTimeField()


class MessagesView(MemberView):
    """Every message sent to the member (join, claims, concerns, corrections...)."""

    @extend_schema(tags=["me"], responses={200: NoticeOutput(many=True)})
    def get(self, request):
        rows = MemberNotice.objects.filter(person_hash=request.member.id_number_hash)[:LIST_LIMIT]
        return Response(NoticeOutput(rows, many=True).data)


class StepUpCodeView(MemberView):
    """Send a fresh code to the member's registered phone, for a sensitive request."""

    @extend_schema(tags=["me"], request=None, responses={204: None, 400: None})
    def post(self, request):
        try:
            stepup.step_up_send(member=request.member)
        except ValidationError as exc:
            return Response(_problem(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonalDataInput(serializers.Serializer):
    code = _step_up_code_field()


class PersonalDataView(MemberView):
    """Everything the union holds about the member (PIPL art. 45), after a fresh SMS code."""

    @extend_schema(
        tags=["me"],
        request=PersonalDataInput,
        responses={
            200: OpenApiResponse(description=_("个人信息副本（JSON）")),
            **STEP_UP_RESPONSES,
        },
    )
    def post(self, request):
        data = PersonalDataInput(data=request.data)
        data.is_valid(raise_exception=True)
        refusal = step_up_refusal(request, data.validated_data.get("code", ""))
        if refusal is not None:
            return refusal
        pipl.personal_data_export_record(
            member=request.member,
            file_format=PersonalDataExport.Format.JSON,
            channel=PersonalDataExport.Channel.API,
        )
        return Response(pipl.personal_data(member=request.member))


class BankCardOutput(serializers.Serializer):
    bank_name = serializers.CharField()
    card_number_masked = serializers.CharField()
    holder_name = serializers.CharField()


class BankCardInput(serializers.Serializer):
    code = _step_up_code_field()
    bank_name = serializers.CharField(max_length=100)
    card_number = serializers.CharField(max_length=23)


class BankCardView(MemberView):
    """The card aid is paid to: shown masked; registering or changing it needs a fresh SMS code."""

    @extend_schema(tags=["me"], responses={200: BankCardOutput, 404: None})
    def get(self, request):
        card = welfare_services.bank_card_current(member=request.member)
        if card is None:
            return Response(
                {"detail": _("您还没有登记收款银行卡。")}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(BankCardOutput(card).data)

    @extend_schema(
        tags=["me"], request=BankCardInput, responses={200: BankCardOutput, **STEP_UP_RESPONSES}
    )
    def post(self, request):
        data = BankCardInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        refusal = step_up_refusal(request, fields.pop("code", ""))
        if refusal is not None:
            return refusal
        card = service_call(welfare_services.bank_card_set, by=self.actor, **fields)
        return Response(BankCardOutput(card).data)
