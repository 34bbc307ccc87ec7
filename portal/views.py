"""The member portal's pages: thin callers of the portal's and the other apps' services."""

import datetime as dt
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from activities import services as activity_services
from members.actors import MemberActor
from members.models import Member, Union
from portal import forms, lockout, ratelimits, selectors, services, stepup
from portal.auth import (
    device_key,
    member_required,
    portal_user,
    safe_next,
    set_device_cookie,
    sign_in_url,
)
from portal.models import Consent, SmsCode
from skills import selectors as skill_selectors
from skills import services as skill_services
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services

SIGN_IN_STATE = "portal_sign_in"
JOIN_STATE = "portal_join"
BIND_MAX_FAILURES = 5


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def root(request):
    """`/`: signed-in staff go to their admin, everyone else to the member portal."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect("admin:index")
    return redirect("portal:home")


@never_cache
def home(request):
    user = portal_user(request)
    return render(request, "portal/home.html", {"portal_user": user})


# --- signing in -----------------------------------------------------------------------------


def _verified_phone(request, key: str) -> str:
    """The phone proved by a code in this browser within the last 15 minutes, if any."""
    state = request.session.get(key) or {}
    verified_at = state.get("verified_at")
    if not verified_at:
        return ""
    age = timezone.now() - dt.datetime.fromisoformat(verified_at)
    return state.get("phone", "") if age < services.VERIFIED_PHONE_FOR else ""


def _finish_sign_in(request, member: Member, next_url: str, *, code_at: str = ""):
    """Sign the device in. The SMS code that got here was sent to the member's registered
    number, which is what a step-up proves: it counts as fresh from when it was entered
    (`code_at`), so a worker who signs in to apply for aid is not sent a second code at once
    (and not told to wait out the 60 s rule for it)."""
    stepup.mark_fresh(request, member=member, at=code_at or timezone.now().isoformat())
    key = device_key(request) or services.new_device_key()
    services.device_sign_in(
        account=services.account_for(member),
        device_key=key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    request.session.pop(SIGN_IN_STATE, None)
    response = redirect(next_url)
    set_device_cookie(response, key)
    return response


@never_cache
def sign_in(request):
    """Mobile number → SMS code → (first time on this device) name + last 6 of the ID number."""
    next_url = safe_next(request)
    state = request.session.get(SIGN_IN_STATE) or {}
    phone = state.get("phone", "")
    step = "phone"
    if phone:
        step = "bind" if _verified_phone(request, SIGN_IN_STATE) else "code"
    phone_form, code_form, bind_form = forms.PhoneForm(), forms.CodeForm(), forms.BindForm()
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                phone_form = forms.PhoneForm(request.POST)
                if phone_form.is_valid():
                    phone = services.clean_phone(phone_form.cleaned_data["phone"])
                    ratelimits.hit(request, ratelimits.SMS_SEND, phone=phone)
                    if (wait := lockout.locked_for(request, phone)) is not None:
                        # No more codes to a locked number: they could not be used anyway.
                        return lockout.lockout_response(request, wait=wait)
                    services.sms_code_send(phone=phone, purpose=SmsCode.Purpose.SIGN_IN)
                    request.session[SIGN_IN_STATE] = {"phone": phone}
                    messages.info(request, _("验证码已发送到 %(p)s，5分钟内有效。") % {"p": phone})
                    return redirect(sign_in_url(next_url))
            elif action == "verify" and phone:
                code_form = forms.CodeForm(request.POST)
                step = "code"
                if code_form.is_valid():
                    if (wait := lockout.locked_for(request, phone)) is not None:
                        return lockout.lockout_response(request, wait=wait)
                    ratelimits.hit(request, ratelimits.SIGN_IN, phone=phone)
                    try:
                        services.sms_code_check(
                            phone=phone,
                            purpose=SmsCode.Purpose.SIGN_IN,
                            code=code_form.cleaned_data["code"],
                        )
                    except ValidationError:
                        lockout.failed(request, phone, sender=sign_in)
                        raise
                    if not services.members_with_phone(phone).exists():
                        # No active member has this number: offer to join, the number proved.
                        request.session[JOIN_STATE] = {
                            "phone": phone,
                            "verified_at": timezone.now().isoformat(),
                        }
                        request.session.pop(SIGN_IN_STATE, None)
                        return redirect("portal:join")
                    account = services.device_account_for_phone(
                        device_key=device_key(request), phone=phone
                    )
                    member = account.active_member() if account else None
                    if member is not None:
                        return _finish_sign_in(request, member, next_url)
                    request.session[SIGN_IN_STATE] = {
                        "phone": phone,
                        "verified_at": timezone.now().isoformat(),
                        "bind_failures": 0,
                    }
                    return redirect(sign_in_url(next_url))
            elif action == "bind" and step == "bind":
                bind_form = forms.BindForm(request.POST)
                if bind_form.is_valid():
                    if (wait := lockout.locked_for(request, phone)) is not None:
                        return lockout.lockout_response(request, wait=wait)
                    ratelimits.hit(request, ratelimits.SIGN_IN, phone=phone)
                    member = services.person_match(phone=phone, **bind_form.cleaned_data)
                    if member is not None:
                        return _finish_sign_in(
                            request, member, next_url, code_at=state.get("verified_at", "")
                        )
                    lockout.failed(request, phone, sender=sign_in)
                    state["bind_failures"] = state.get("bind_failures", 0) + 1
                    if state["bind_failures"] >= BIND_MAX_FAILURES:
                        request.session.pop(SIGN_IN_STATE, None)
                        messages.error(request, _("核对信息失败次数过多，请重新获取验证码。"))
                        return redirect(sign_in_url(next_url))
                    request.session[SIGN_IN_STATE] = state
                    errors.append(
                        _(
                            "姓名或身份证号码后6位与该手机号登记的会员信息不一致。"
                            "如果您还不是会员，可以在线申请入会。"
                        )
                    )
            elif action == "restart":
                request.session.pop(SIGN_IN_STATE, None)
                return redirect(sign_in_url(next_url))
        except ValidationError as exc:
            errors.extend(_errors(exc))
    return render(
        request,
        "portal/sign_in.html",
        {
            "step": step,
            "phone": phone,
            "next": next_url,
            "phone_form": phone_form,
            "code_form": code_form,
            "bind_form": bind_form,
            "errors": errors,
        },
    )


@require_POST
def sign_out(request):
    key = device_key(request)
    if key:
        services.device_sign_out(device_key=key)
    return redirect("portal:home")


# --- 电子会员证 -------------------------------------------------------------------------------


@never_cache
@member_required
def card(request):
    return render(request, "portal/card.html", {"member": request.member})


@never_cache
@member_required
def card_qr(request):
    """The card's QR code as SVG: a fresh token on every load (the page reloads it each minute)."""
    token = services.card_token(member=request.member)
    url = request.build_absolute_uri(reverse("portal:verify")) + "?token=" + token
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def verify(request):
    """Staff scan a member's e-card. Only signed-in staff; every check is recorded."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return redirect(f"{reverse('admin:login')}?next={request.get_full_path()}")
    result, errors = None, []
    try:
        result = services.card_verify(token=request.GET.get("token", ""), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return render(request, "portal/verify.html", {"result": result, "errors": errors})


# --- 签到 -------------------------------------------------------------------------------------


@never_cache
def check_in(request):
    token = request.GET.get("token", "")
    try:
        activity, _end = activity_services.activity_for_token(token)
    except ValidationError as exc:
        return render(request, "portal/check_in.html", {"errors": exc.messages}, status=400)
    user = portal_user(request)
    if user is None:
        return redirect(sign_in_url(request.get_full_path()))
    if user.member is None:
        return render(request, "portal/no_membership.html", status=403)
    member = user.member
    errors: list[str] = []
    done_message = ""
    if request.method == "POST":
        try:
            result = activity_services.attendance_check_in(
                token=token, member=member, by=MemberActor(member)
            )
            done_message = result.message
        except (ValidationError, PermissionDenied) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    attended = selectors.member_attended(member=member, activity=activity)
    return render(
        request,
        "portal/check_in.html",
        {
            "activity": activity,
            "attended": attended,
            "done_message": done_message,
            "errors": errors,
            "token": token,
        },
    )


# --- 网上入会 ---------------------------------------------------------------------------------

JOIN_NOTICE = _(
    "为办理入会，工会需要收集您的姓名、身份证号码、手机号码、工作单位、就业形态和工作所在乡镇(街道)。"
    "身份证号码属于敏感个人信息，只用于核对身份、确认您没有在其他工会重复入会、建立会员档案；"
    "我们加密保存，平时只显示部分号码，只有确需的工作人员才能查看完整号码，每次查看都有记录。"
    "这些信息交给您申请加入的工会及其上级工会处理，不会提供给与入会无关的单位或个人。"
    "申请未获批准的，相关信息保存不超过一年；入会后按会员档案保存，离会后按规定期限保存。"
    "您可以查阅、更正您的信息，也可以撤回同意（撤回前已办理的不受影响）。"
    "不同意也没关系：您可以到工会现场办理入会。"
)


@never_cache
def join(request):
    """Phone proved by SMS → the notice and a separate consent → the form → its state."""
    phone = _verified_phone(request, JOIN_STATE)
    state = request.session.get(JOIN_STATE) or {}
    errors: list[str] = []
    phone_form, code_form = forms.PhoneForm(), forms.CodeForm()
    consent_form, join_form = forms.ConsentForm(), forms.JoinForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                phone_form = forms.PhoneForm(request.POST)
                if phone_form.is_valid():
                    sent_to = services.clean_phone(phone_form.cleaned_data["phone"])
                    ratelimits.hit(request, ratelimits.SMS_SEND, phone=sent_to)
                    services.sms_code_send(phone=sent_to, purpose=SmsCode.Purpose.JOIN)
                    request.session[JOIN_STATE] = {"phone": sent_to}
                    return redirect("portal:join")
            elif action == "verify" and state.get("phone"):
                code_form = forms.CodeForm(request.POST)
                if code_form.is_valid():
                    if (wait := lockout.locked_for(request, state["phone"])) is not None:
                        return lockout.lockout_response(request, wait=wait)
                    ratelimits.hit(request, ratelimits.SIGN_IN, phone=state["phone"])
                    try:
                        services.sms_code_check(
                            phone=state["phone"],
                            purpose=SmsCode.Purpose.JOIN,
                            code=code_form.cleaned_data["code"],
                        )
                    except ValidationError:
                        lockout.failed(request, state["phone"], sender=join)
                        raise
                    state["verified_at"] = timezone.now().isoformat()
                    request.session[JOIN_STATE] = state
                    return redirect("portal:join")
            elif action == "consent" and phone:
                consent_form = forms.ConsentForm(request.POST)
                if consent_form.is_valid():
                    consent = services.consent_record(
                        notice=Consent.Notice.JOIN_ID_NUMBER,
                        version=services.JOIN_NOTICE_VERSION,
                        phone=phone,
                    )
                    state["consent"] = consent.pk
                    request.session[JOIN_STATE] = state
                    return redirect("portal:join")
            elif action == "apply" and phone and state.get("consent"):
                join_form = forms.JoinForm(request.POST)
                if join_form.is_valid():
                    ratelimits.hit(request, ratelimits.JOIN_APPLY, phone=phone)
                    services.join_apply(
                        phone=phone,
                        consent=Consent.objects.get(pk=state["consent"], phone=phone),
                        **join_form.cleaned_data,
                    )
                    state.pop("consent", None)
                    request.session[JOIN_STATE] = state
                    messages.success(request, _("申请已提交，工会审核后会通知您。"))
                    return redirect("portal:join")
            elif action == "restart":
                request.session.pop(JOIN_STATE, None)
                return redirect("portal:join")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, field_errors in exc.message_dict.items():
                    if field in join_form.fields and join_form.is_bound:
                        join_form.add_error(field, field_errors)
                    else:
                        errors.extend(field_errors)
            else:
                errors.extend(exc.messages)
    applications = selectors.join_applications_for_phone(phone=phone) if phone else []
    has_pending = any(a.state == a.State.PENDING for a in applications)
    if not phone:
        step = "code" if state.get("phone") else "phone"
    elif has_pending:
        step = "status"
    elif not state.get("consent"):
        step = "consent"
    else:
        step = "form"
    return render(
        request,
        "portal/join.html",
        {
            "step": step,
            "phone": phone or state.get("phone", ""),
            "applications": applications,
            "notice": JOIN_NOTICE,
            "notice_version": services.JOIN_NOTICE_VERSION,
            "phone_form": phone_form,
            "code_form": code_form,
            "consent_form": consent_form,
            "join_form": join_form,
            "errors": errors,
            "gig_forms": sorted(services.GIG_FORMS),
            "joint_unions": Union.objects.filter(is_joint=True).select_related("parent"),
        },
    )


# --- my records -----------------------------------------------------------------------------


@member_required
def my_activities(request):
    attendances = selectors.member_attendances(member=request.member)[:100]
    return render(request, "portal/my_activities.html", {"attendances": attendances})


@member_required
def my_competitions(request):
    member = request.member
    today = timezone.localdate()
    if request.method == "POST":
        competition = get_object_or_404(
            skill_selectors.member_competitions_open(member=member, on=today),
            pk=request.POST.get("competition"),
        )
        try:
            skill_services.competition_enter(
                competition=competition, member=member, by=MemberActor(member)
            )
            messages.success(request, _("已报名“%(c)s”。") % {"c": competition})
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                messages.error(request, message)
        return redirect("portal:my-competitions")
    return render(
        request,
        "portal/my_competitions.html",
        {
            "open": skill_selectors.member_competitions_open(member=member, on=today)
            .select_related("union")
            .order_by("end_date")[:50],
            "entries": skill_selectors.member_entries(member=member)[:50],
        },
    )


@member_required
def my_mutual_aid(request):
    member = request.member
    return render(
        request,
        "portal/my_mutual_aid.html",
        {
            "enrolments": welfare_selectors.member_enrolments(member=member),
            "claims": welfare_selectors.member_claims(member=member)[:50],
        },
    )


@member_required
def my_claim(request, pk: int):
    # Whatever id is in the URL, only the person's own claims are looked in.
    claim = get_object_or_404(welfare_selectors.member_claims(member=request.member), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            welfare_services.claim_withdraw(claim=claim, by=MemberActor(request.member))
            messages.success(request, _("申请已撤回。"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect("portal:my-claim", pk=claim.pk)
    return render(
        request,
        "portal/my_claim.html",
        {
            "claim": claim,
            "events": claim.events.order_by("at"),
            "can_withdraw": claim.state in claim.OPEN_STATES,
        },
    )


@member_required
def my_voice(request):
    member = request.member
    form = forms.ConcernForm()
    if request.method == "POST":
        form = forms.ConcernForm(request.POST)
        if form.is_valid():
            try:
                services.rate_limit(
                    key=f"concern:{member.id_number_hash}", limit=10, window=dt.timedelta(days=1)
                )
                concern = welfare_services.concern_raise(
                    by=portal_user(request).actor, **form.cleaned_data
                )
                messages.success(request, _("已提交，工会会在期限内答复您。"))
                return redirect("portal:my-concern", pk=concern.pk)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
    return render(
        request,
        "portal/my_voice.html",
        {"form": form, "concerns": welfare_selectors.member_concerns(member=member)[:50]},
    )


@member_required
def my_concern(request, pk: int):
    concern = get_object_or_404(welfare_selectors.member_concerns(member=request.member), pk=pk)
    return render(request, "portal/my_concern.html", {"concern": concern})
