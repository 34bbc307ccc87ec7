"""The member's account pages: a fresh SMS code before sensitive steps, my personal information
(see it, download it, ask for a correction, who viewed my full ID number), a new phone number,
and the messages sent to me. Thin callers of portal.stepup, portal.pipl and portal.account."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from members.actors import MemberActor
from portal import account, lockout, pipl, ratelimits, services, stepup
from portal import selectors as portal_selectors
from portal.auth import device_key, member_required, safe_next, set_device_cookie
from portal.forms import CODE_ATTRS, PHONE_ATTRS, CodeForm
from portal.models import CorrectionRequest, MemberNotice, PersonalDataExport

PHONE_CHANGE_STATE = "portal_phone_change"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CorrectionForm(forms.Form):
    item = forms.CharField(label=gettext_lazy("哪项信息有误"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("正确的内容"), max_length=1000, widget=forms.Textarea({"rows": 3})
    )


class PhoneChangeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    id_number = forms.CharField(
        label=gettext_lazy("身份证号码（18位）"),
        max_length=18,
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    new_phone = forms.CharField(
        label=gettext_lazy("新手机号码"), max_length=14, widget=forms.TextInput(PHONE_ATTRS)
    )


def _messages_of(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


# --- a fresh code (step-up) --------------------------------------------------------------------


@never_cache
@member_required
def confirm(request):
    """Send a code to the registered phone and enter it; then back to the page that asked."""
    member = request.member
    next_url = safe_next(request)
    form, errors = CodeForm(), []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send":
                stepup.step_up_send(member=member)
                messages.info(request, _("验证码已发送到您登记的手机号，5分钟内有效。"))
                return redirect(stepup.confirm_url(next_url))
            form = CodeForm(request.POST)
            if form.is_valid():
                stepup.step_up_verify(request, member=member, code=form.cleaned_data["code"])
                return redirect(next_url)
        except ValidationError as exc:
            errors = exc.messages
    phone = member.phone
    return render(
        request,
        "portal/account/confirm.html",
        {
            "form": form,
            "errors": errors,
            "next": next_url,
            "phone_masked": f"{phone[:3]}****{phone[-4:]}" if phone else "",
        },
    )


# --- my personal information -------------------------------------------------------------------


@never_cache
@member_required
def my_data(request):
    member = request.member
    form = CorrectionForm()
    consent_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "withdraw_consent":
        try:
            services.consent_withdraw(by=MemberActor(member), notice=request.POST.get("notice", ""))
            messages.success(
                request,
                _(
                    "已撤回您对收集医疗票据的同意。今后申请互助时会重新征求您的同意；"
                    "您已提交的申请和票据是互助审核和会计凭证，按规定保存，不会删除。"
                ),
            )
            return redirect(f"{reverse('portal:my-data')}#consents")
        except ValidationError as exc:
            consent_errors = _messages_of(exc)
    elif request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                pipl.correction_request_submit(by=MemberActor(member), **form.cleaned_data)
                messages.success(request, _("更正申请已提交，您所在工会处理后会短信通知您。"))
                return redirect("portal:my-data")
            except (ValidationError, PermissionDenied) as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
    return render(
        request,
        "portal/account/my_data.html",
        {
            "form": form,
            "data": pipl.personal_data(member=member),
            "consents": portal_selectors.member_consents(member=member),
            "withdrawable": services.WITHDRAWABLE_NOTICES,
            "consent_errors": consent_errors,
            "views": pipl.id_number_views(member=member),
            "corrections": CorrectionRequest.objects.filter(
                member__id_number_hash=member.id_number_hash
            )[:20],
        },
    )


@never_cache
@member_required
@stepup.fresh_code_required(minutes=10)
def my_data_download(request):
    """A copy of my personal information: `?format=xlsx` a workbook, otherwise JSON (machine
    readable, PIPL art. 45). Each copy is recorded."""
    member = request.member
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        body = pipl.personal_data_xlsx(member=member)
        response = HttpResponse(body, content_type=XLSX_TYPE)
        filename = f"my-union-data-{stamp}.xlsx"
        file_format = PersonalDataExport.Format.XLSX
    else:
        body = pipl.personal_data_json(member=member)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"my-union-data-{stamp}.json"
        file_format = PersonalDataExport.Format.JSON
    pipl.personal_data_export_record(
        member=member, file_format=file_format, channel=PersonalDataExport.Channel.WEB
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@member_required
def my_messages(request):
    notices = MemberNotice.objects.filter(person_hash=request.member.id_number_hash)[:200]
    return render(request, "portal/account/messages.html", {"notices": notices})


# --- a new phone number ------------------------------------------------------------------------


@never_cache
def phone_change(request):
    """Name + full ID number + the new number → a code to the new number → bound and signed in."""
    state = request.session.get(PHONE_CHANGE_STATE) or {}
    form, code_form, errors = PhoneChangeForm(), CodeForm(), []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                form = PhoneChangeForm(request.POST)
                if form.is_valid():
                    new_phone = services.clean_phone(form.cleaned_data["new_phone"])
                    ratelimits.hit(request, ratelimits.SMS_SEND, phone=new_phone)
                    account.phone_change_send(new_phone=new_phone)
                    # Kept in the server-side session only until the code is entered.
                    request.session[PHONE_CHANGE_STATE] = {
                        **form.cleaned_data,
                        "new_phone": new_phone,
                    }
                    return redirect("portal:phone-change")
            elif action == "verify" and state:
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    if (wait := lockout.locked_for(request, state["new_phone"])) is not None:
                        return lockout.lockout_response(request, wait=wait)
                    ratelimits.hit(request, ratelimits.SIGN_IN, phone=state["new_phone"])
                    try:
                        member = account.phone_change(code=code_form.cleaned_data["code"], **state)
                    except ValidationError:
                        lockout.failed(request, state["new_phone"], sender=phone_change)
                        raise
                    request.session.pop(PHONE_CHANGE_STATE, None)
                    # A code to the (now registered) number was just entered: a fresh step-up.
                    stepup.mark_fresh(request, member=member)
                    key = device_key(request) or services.new_device_key()
                    services.device_sign_in(
                        account=services.account_for(member),
                        device_key=key,
                        user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    )
                    messages.success(request, _("手机号已更换，以后请用新号码登录。"))
                    response = redirect("portal:home")
                    set_device_cookie(response, key)
                    return response
            elif action == "restart":
                request.session.pop(PHONE_CHANGE_STATE, None)
                return redirect("portal:phone-change")
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "portal/account/phone_change.html",
        {
            "step": "code" if state else "form",
            "new_phone": state.get("new_phone", ""),
            "form": form,
            "code_form": code_form,
            "code_attrs": CODE_ATTRS,
            "errors": errors,
        },
    )
