"""Demo data for the member portal: the worker whose roster row carries `DEMO_PHONE` (members.demo)
signs in with it, and a pending online join application waits in a joint union's queue."""

from members import crypto
from members.actors import system
from members.demo import DEMO_PHONE
from members.models import Member, Union
from portal import services
from portal.models import Consent, JoinApplication

DEMO_APPLICANT_ID = "330502199203150015"  # synthetic, valid check digit, not in the demo roster


def seed(*, scale: float, seed: int) -> str:
    # The roster gives the demo worker this phone (members.demo), so nothing here rewrites it.
    worker = Member.objects.filter(phone=DEMO_PHONE, status=Member.Status.ACTIVE).first()
    if worker is None:
        return "没有会员数据，未生成会员服务演示数据。"
    joint = Union.objects.filter(is_joint=True, parent__level=Union.Level.TOWNSHIP).first()
    applicant_hash = crypto.hash_id_number(DEMO_APPLICANT_ID)
    if (
        joint is not None
        and not JoinApplication.objects.filter(id_number_hash=applicant_hash).exists()
        and not Member.objects.filter(id_number_hash=applicant_hash).exists()
    ):
        consent = services.consent_record(
            notice=Consent.Notice.JOIN_ID_NUMBER,
            version=services.JOIN_NOTICE_VERSION,
            phone="13900000002",
        )
        services.join_apply(
            phone="13900000002",
            name="陈小骑",
            id_number=DEMO_APPLICANT_ID,
            township=joint.parent,
            employment_form=Member.EmploymentForm.FOOD_DELIVERY,
            consent=consent,
        )
    seed_services(worker)
    last6 = crypto.decrypt_id_number(worker.id_number_encrypted)[-6:]
    return (
        f"会员服务 /portal/ 演示会员：{worker.name}，手机号 {DEMO_PHONE}，身份证号后6位 {last6}"
        f"（验证码：python manage.py sms_outbox {DEMO_PHONE}）"
    )


# --- member services: claims in each state, an answered concern, a bank card ------------------

DEMO_HOSPITAL = "湖州市第一人民医院"
DEMO_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64  # a stand-in receipt photo


def _current_line(worker: Member):
    """This year's hospital-stay line under the city, made for the demo if the seeded plans are
    of an earlier year (their claim deadline has passed, so the portal could file nothing)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from welfare import services as welfare_services
    from welfare.models import BenefitLine, MutualAidPlan

    by = system("seed_demo")
    year = timezone.localdate().year
    city = Union.objects.filter(level=Union.Level.CITY).order_by("code").first()
    plan = MutualAidPlan.objects.filter(union=city, year=year).first()
    if plan is None:
        plan = welfare_services.plan_create(
            union=city,
            year=year,
            name=f"{year}年度职工医疗互助",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            enrolment_opens=dt.date(year - 1, 11, 1),
            enrolment_closes=dt.date(year, 12, 31),
            by=by,
        )
    line = plan.lines.filter(kind=BenefitLine.Kind.HOSPITAL_STAY).first()
    if line is None:
        line = welfare_services.benefit_line_create(
            plan=plan,
            kind=BenefitLine.Kind.HOSPITAL_STAY,
            name="住院医疗互助",
            contribution=Decimal("30"),
            deductible=Decimal("1000"),
            reimbursement_rate=Decimal("0.5"),
            annual_cap=Decimal("30000"),
            claim_deadline=dt.date(year + 1, 3, 31),
            by=by,
        )
    if not line.enrolments.filter(member=worker).exists():
        welfare_services.enrolment_create(
            member=worker, line=line, enrolled_on=plan.enrolment_opens, by=by
        )
    return line


def seed_services(worker: Member) -> None:
    """Claims in each state, a bank card and an answered concern for the demo worker, so every
    member services page has content. Idempotent: skipped once the worker has a demo claim."""
    import datetime as dt
    from decimal import Decimal

    from members.actors import MemberActor
    from welfare import services as welfare_services
    from welfare.models import Claim

    if Claim.objects.filter(member=worker, hospital=DEMO_HOSPITAL).exists():
        return
    by, me = system("seed_demo"), MemberActor(worker)
    line = _current_line(worker)
    card = welfare_services.bank_card_set(
        by=me, bank_name="中国工商银行湖州分行", card_number="6222021205000012345"
    )
    start = max(line.plan.period_start, line.enrolments.get(member=worker).enrolled_on)
    states = ["submitted", "under_review", "approved", "paid", "rejected", "withdrawn"]
    for i, state in enumerate(states):
        admitted = start + dt.timedelta(days=2 * i)
        claim = welfare_services.claim_apply(
            by=me,
            line=line,
            admitted_on=admitted,
            discharged_on=admitted + dt.timedelta(days=1),
            hospital=DEMO_HOSPITAL,
            category=Claim.Category.INPATIENT,
            total_expenses=Decimal("5000"),
            eligible_expenses=Decimal("3000"),
            receipts=[("receipt.jpg", DEMO_JPEG + bytes([i]))],
            bank_card=card,
        )
        if state == "withdrawn":
            welfare_services.claim_withdraw(claim=claim, by=me)
            continue
        if state == "submitted":
            continue
        welfare_services.claim_start_review(claim=claim, by=by)
        if state == "rejected":
            welfare_services.claim_reject(
                claim=claim, reason="住院材料不全，请补充出院小结后重新申请。", by=by
            )
        elif state in ("approved", "paid"):
            welfare_services.claim_approve(claim=claim, by=by)
            if state == "paid":
                welfare_services.payout_batch_create(claims=[claim], by=by)
    concern = welfare_services.concern_raise(
        by=me, subject="快递驿站夏天能否供应凉茶", body="中午送件很热，希望站点夏天提供凉茶和充电。"
    )
    welfare_services.concern_answer(
        concern=concern,
        answer="已协调织里镇各户外劳动者服务站点，7月至9月每天供应凉茶，并增设充电插座。",
        by=by,
    )
