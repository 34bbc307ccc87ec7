"""Member services pages (会员服务): mutual-aid claims from the phone with receipt photos, the
bank card aid is paid to, recuperation sign-up, and stations near me. Thin callers of welfare's
member-facing services, the signed-in member being the actor; whatever id arrives in a form, only
the member's own records (or what is offered to them) are looked in."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members import selectors as members_selectors
from members import services as members_services
from members.actors import MemberActor
from members.models import Member
from portal import forms_services as forms
from portal import selectors as portal_selectors
from portal import services as portal_services
from portal import stepup
from portal.auth import member_required
from portal.models import Consent
from skills import selectors as skills_selectors
from skills import services as skills_services
from skills.photos import idea_photo_response
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services

MEDICAL_NOTICE_VERSION = "2026-12-01"
MEDICAL_NOTICE = _(
    "申请职工医疗互助，需要您上传住院发票、医保结算单、出院小结等材料。这些材料含有您的就诊和疾病信息，"
    "属于敏感个人信息（医疗健康），我们只用于审核本次互助申请、计算和发放互助金；"
    "材料只交给您所在工会及其上级工会负责互助审核的工作人员，不会提供给您的单位或其他无关人员。"
    "材料加密传输、按互助档案保存，保存期限届满后删除。您可以随时撤回同意（撤回前已提交的申请不受影响）；"
    "不同意也没关系，您可以带上材料到所在工会现场办理。"
)


def _messages(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def medical_consent(member: Member) -> Consent | None:
    """The member's consent to the current notice on medical receipts, if they gave it."""
    return portal_services.consent_current(
        person_hash=member.id_number_hash,
        notice=Consent.Notice.MEDICAL_RECEIPTS,
        version=MEDICAL_NOTICE_VERSION,
    )


def medical_consent_record(member: Member) -> Consent:
    """Record the member's separate consent (PIPL art. 29) to the current notice on medical
    receipts: given on the claim page's consent step, or with `consent: true` in the API."""
    return portal_services.consent_record(
        notice=Consent.Notice.MEDICAL_RECEIPTS,
        version=MEDICAL_NOTICE_VERSION,
        phone=member.phone,
        person_hash=member.id_number_hash,
    )


def _apply_errors(exc: ValidationError, claim_form, card_form, errors: list[str]) -> None:
    if not hasattr(exc, "error_dict"):
        errors.extend(exc.messages)
        return
    for field, field_errors in exc.message_dict.items():
        for form in (claim_form, card_form):
            if form is not None and field in form.fields:
                form.add_error(field, field_errors)
                break
        else:
            errors.extend(field_errors)


def _submitted(form, errors: list[str], call):
    """Run a member's service for a valid form: its result, or None when the service refused (a
    ValidationError lands on the form's fields or in `errors`, a PermissionDenied in `errors`)."""
    try:
        return call()
    except ValidationError as exc:
        _apply_errors(exc, form, None, errors)
    except PermissionDenied as exc:
        errors.extend(_messages(exc))
    return None


# --- 医疗互助申请 ------------------------------------------------------------------------------


@never_cache
@member_required
@stepup.fresh_code_required(minutes=10)
def claim_new(request):
    """Apply for mutual aid: separate consent to medical receipts first (PIPL art. 29), then
    one short form with the receipt photos and the bank card the aid goes to."""
    member = request.member
    lines = portal_selectors.member_claimable_lines(member=member)
    consent = medical_consent(member)
    card = welfare_services.bank_card_current(member=member)
    errors: list[str] = []
    consent_form = forms.MedicalConsentForm()
    claim_form = forms.ClaimForm(lines=lines)
    card_form = forms.BankCardForm() if card is None else None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "consent":
        consent_form = forms.MedicalConsentForm(request.POST)
        if consent_form.is_valid():
            medical_consent_record(member)
            return redirect("portal:claim-new")
    elif action == "apply" and consent is not None and lines:
        claim_form = forms.ClaimForm(request.POST, lines=lines)
        card_form = forms.BankCardForm(request.POST) if card is None else None
        receipts = request.FILES.getlist("receipts")
        if not receipts:
            errors.append(_("请拍照或选择医疗费用票据、出院小结（可多张）。"))
        if card is not None and not request.POST.get("confirm_card"):
            errors.append(_("请确认收款银行卡；如需更换，请先到“收款银行卡”更换。"))
        forms_valid = claim_form.is_valid() and (card_form is None or card_form.is_valid())
        if forms_valid and not errors:
            data = dict(claim_form.cleaned_data)
            line = next(line for line in lines if line.pk == data.pop("line"))
            actor = MemberActor(member)
            try:
                portal_services.rate_limit(
                    key=f"claim-apply:{member.id_number_hash}",
                    limit=10,
                    window=dt.timedelta(days=1),
                )
                # One transaction: a refused claim leaves no new card behind either.
                with transaction.atomic():
                    if card_form is not None:
                        card = welfare_services.bank_card_set(by=actor, **card_form.cleaned_data)
                    claim = welfare_services.claim_apply(
                        by=actor, line=line, receipts=receipts, bank_card=card, **data
                    )
                messages.success(request, _("申请已提交，工会审核后会通知您。"))
                return redirect("portal:my-claim", pk=claim.pk)
            except ValidationError as exc:
                card = welfare_services.bank_card_current(member=member)
                _apply_errors(exc, claim_form, card_form, errors)
            except PermissionDenied as exc:
                errors.extend(_messages(exc))
    if not lines:
        step = "no_cover"
    elif consent is None:
        step = "consent"
    else:
        step = "form"
    return render(
        request,
        "portal/services/claim_new.html",
        {
            "step": step,
            "notice": MEDICAL_NOTICE,
            "notice_version": MEDICAL_NOTICE_VERSION,
            "consent_form": consent_form,
            "claim_form": claim_form,
            "card_form": card_form,
            "card": card,
            "errors": errors,
        },
    )


# --- 收款银行卡 ---------------------------------------------------------------------------------


@never_cache
@member_required
@stepup.fresh_code_required(minutes=10)
def bank_card(request):
    member = request.member
    card = welfare_services.bank_card_current(member=member)
    form = forms.BankCardForm()
    errors: list[str] = []
    if request.method == "POST":
        form = forms.BankCardForm(request.POST)
        if form.is_valid():
            done = _submitted(
                form,
                errors,
                lambda: welfare_services.bank_card_set(by=MemberActor(member), **form.cleaned_data),
            )
            if done is not None:
                messages.success(request, _("收款银行卡已登记，以后的互助金、帮扶金发到这张卡。"))
                return redirect("portal:bank-card")
    return render(
        request,
        "portal/services/bank_card.html",
        {"card": card, "form": form, "errors": errors, "member": member},
    )


# --- 疗休养报名 ---------------------------------------------------------------------------------


def _sign_up_to_offered(request, *, offered, field: str, sign_up, done: str, back: str):
    """A POST naming one of the items `offered` to this member (a programme, a course) by `field`:
    sign the member up through the service. Only an offered item can be named, whatever id is
    posted (any other, or one that is not a number, is a 404); a refusal is shown as the service
    words it."""
    posted = request.POST.get(field) or ""
    number = posted.isascii() and posted.isdigit()
    item = get_object_or_404(offered, pk=int(posted) if number else 0)
    try:
        sign_up(item, MemberActor(request.member))
        messages.success(request, done % {"x": item})
    except (ValidationError, PermissionDenied) as exc:
        for message in _messages(exc):
            messages.error(request, message)
    return redirect(back)


@never_cache
@member_required
def recuperation(request):
    member = request.member
    offered = welfare_selectors.member_recuperation_programmes_open(
        member=member, on=timezone.localdate()
    )
    if request.method == "POST":
        return _sign_up_to_offered(
            request,
            offered=offered,
            field="programme",
            sign_up=lambda p, by: welfare_services.recuperation_sign_up(programme=p, by=by),
            done=_("已报名“%(x)s”。"),
            back="portal:recuperation",
        )
    mine = welfare_selectors.member_recuperation_sign_ups(member=member)
    taken = set(mine.values_list("programme_id", flat=True))
    programmes = offered.annotate(taken=Count("participants")).select_related("union")[:50]
    return render(
        request,
        "portal/services/recuperation.html",
        {
            "programmes": [
                {
                    "programme": p,
                    "left": max(p.capacity - p.taken, 0),
                    "signed_up": p.pk in taken,
                }
                for p in programmes
            ],
            "mine": mine[:50],
        },
    )


# --- 附近的站点 ---------------------------------------------------------------------------------


def stations(request):
    """Outdoor workers' stations and 妈咪暖心小屋, by district, open now first. Public: a courier
    looking for water or a place to charge need not sign in."""
    form = forms.DistrictForm(request.GET or None)
    district = form.cleaned_data["district"] if form.is_valid() else None
    now = timezone.now()
    rows = [
        {"station": s, "open": welfare_selectors.station_open_at(s, now)}
        for s in welfare_selectors.stations_near_me(district=district)[:200]
    ]
    rows.sort(key=lambda r: {True: 0, None: 1, False: 2}[r["open"]])
    return render(
        request,
        "portal/services/stations.html",
        {"form": form, "rows": rows, "district": district, "now": timezone.localtime(now)},
    )


# --- 困难帮扶申请 -------------------------------------------------------------------------------


@never_cache
@member_required
def hardship(request):
    """Apply for hardship aid (困难帮扶): what is hard, in the member's own words, and the bank
    card the aid goes to (confirmed, or registered here); then follow each application's state."""
    member = request.member
    card = welfare_services.bank_card_current(member=member)
    if card is None:
        # The form will take bank details: the same fresh code as the bank card page.
        refusal = stepup.require_fresh_code(request, minutes=10)
        if refusal is not None:
            return refusal
    form = forms.HardshipForm()
    card_form = forms.BankCardForm() if card is None else None
    errors: list[str] = []
    if request.method == "POST":
        form = forms.HardshipForm(request.POST)
        card_form = forms.BankCardForm(request.POST) if card is None else None
        if card is not None and not request.POST.get("confirm_card"):
            errors.append(_("请确认收款银行卡；如需更换，请先到“收款银行卡”更换。"))
        forms_valid = form.is_valid() and (card_form is None or card_form.is_valid())
        if forms_valid and not errors:
            actor = MemberActor(member)
            try:
                # One transaction: a refused application leaves no new card behind either.
                with transaction.atomic():
                    if card_form is not None:
                        card = welfare_services.bank_card_set(by=actor, **card_form.cleaned_data)
                    welfare_services.hardship_case_apply(
                        by=actor, bank_card=card, **form.cleaned_data
                    )
                messages.success(request, _("帮扶申请已提交，工会核实后会联系您。"))
                return redirect("portal:hardship")
            except ValidationError as exc:
                card = welfare_services.bank_card_current(member=member)
                _apply_errors(exc, form, card_form, errors)
            except PermissionDenied as exc:
                errors.extend(_messages(exc))
    cases = welfare_selectors.member_hardship_cases(member=member)[:20]
    return render(
        request,
        "portal/services/hardship.html",
        {"form": form, "card_form": card_form, "card": card, "cases": cases, "errors": errors},
    )


# --- 会员关系转接 -------------------------------------------------------------------------------


@never_cache
@member_required
def transfer(request):
    """Ask to move the membership to another union; see each request's state. The receiving
    union is chosen city-wide, by code or from a township's list: union names are not personal."""
    member = request.member
    township_form = forms.TownshipForm(request.GET or None)
    township = township_form.cleaned_data["township"] if township_form.is_valid() else None
    unions = (
        members_selectors.transfer_receiving_unions(township=township)[
            : members_selectors.RECEIVING_UNIONS_SHOWN
        ]
        if township is not None
        else []
    )
    form = forms.TransferForm(unions=unions)
    errors: list[str] = []
    if request.method == "POST":
        form = forms.TransferForm(request.POST, unions=unions)
        if form.is_valid():
            done = _submitted(
                form,
                errors,
                lambda: members_services.transfer_request_by_member(
                    to_union=form.cleaned_data["to_union"],
                    note=form.cleaned_data["note"],
                    by=MemberActor(member),
                ),
            )
            if done is not None:
                messages.success(
                    request, _("转接申请已提交：先由您现在的工会审批转出，再由转入工会接收。")
                )
                return redirect("portal:transfer")
    return render(
        request,
        "portal/services/transfer.html",
        {
            "member": member,
            "form": form,
            "township_form": township_form,
            "township": township,
            "transfers": members_selectors.member_own_transfers(member=member)[:20],
            "errors": errors,
        },
    )


# --- 法律咨询 -----------------------------------------------------------------------------------


@never_cache
@member_required
def legal(request):
    member = request.member
    form = forms.LegalQuestionForm()
    errors: list[str] = []
    if request.method == "POST":
        form = forms.LegalQuestionForm(request.POST)
        if form.is_valid():
            consultation = _submitted(
                form,
                errors,
                lambda: welfare_services.legal_consultation_ask(
                    by=MemberActor(member), **form.cleaned_data
                ),
            )
            if consultation is not None:
                messages.success(request, _("咨询已提交，工会律师解答后会显示在这里。"))
                return redirect("portal:legal-question", pk=consultation.pk)
    return render(
        request,
        "portal/services/legal.html",
        {
            "form": form,
            "questions": welfare_selectors.member_legal_consultations(member=member)[:30],
            "errors": errors,
        },
    )


@never_cache
@member_required
def legal_question(request, pk: int):
    # Only the member's own question, whatever id is in the URL: another's is a 404.
    consultation = get_object_or_404(
        welfare_selectors.member_legal_consultations(member=request.member), pk=pk
    )
    return render(request, "portal/services/legal_question.html", {"consultation": consultation})


# --- 荣誉和证书 ---------------------------------------------------------------------------------


@never_cache
@member_required
def honours(request):
    member = request.member
    return render(
        request,
        "portal/services/honours.html",
        {
            "honours": skills_selectors.member_honours(member=member)[:50],
            "certifications": skills_selectors.member_certifications(member=member)[:50],
        },
    )


# --- 金点子 -------------------------------------------------------------------------------------


@never_cache
@member_required
def ideas(request):
    member = request.member
    form = forms.IdeaForm()
    errors: list[str] = []
    if request.method == "POST":
        form = forms.IdeaForm(request.POST, request.FILES)
        if form.is_valid():
            done = _submitted(
                form,
                errors,
                lambda: skills_services.golden_idea_submit(
                    member=member, by=MemberActor(member), **form.cleaned_data
                ),
            )
            if done is not None:
                messages.success(request, _("金点子已提交，工会评审后状态会更新。"))
                return redirect("portal:ideas")
    return render(
        request,
        "portal/services/ideas.html",
        {
            "form": form,
            "ideas": skills_selectors.member_ideas(member=member)[:50],
            "errors": errors,
        },
    )


@never_cache
@member_required
def idea_photo(request, pk: int):
    """The photo of one of the member's own ideas; any other id is a 404, like a missing one."""
    idea = get_object_or_404(
        skills_selectors.member_ideas(member=request.member).exclude(photo=""), pk=pk
    )
    return idea_photo_response(idea)
