"""Demo data for the member portal: one worker with a phone number to sign in with (the demo
roster has no phone numbers), and a pending online join application in a joint union's queue."""

from members import crypto
from members import services as member_services
from members.actors import system
from members.models import Member, Union
from portal import services
from portal.models import Consent, JoinApplication

DEMO_PHONE = "13900000001"
DEMO_APPLICANT_ID = "330502199203150015"  # synthetic, valid check digit, not in the demo roster


def demo_worker() -> Member | None:
    return (
        Member.objects.filter(status=Member.Status.ACTIVE, union__path__contains="/330502001")
        .order_by("id")
        .first()
    )


def seed(*, scale: float, seed: int) -> str:
    worker = Member.objects.filter(phone=DEMO_PHONE, status=Member.Status.ACTIVE).first()
    if worker is None:
        worker = demo_worker()
        if worker is None:
            return "没有会员数据，未生成会员服务演示数据。"
        member_services.member_update(
            member=worker, data={"phone": DEMO_PHONE}, by=system("seed_demo")
        )
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
    last6 = crypto.decrypt_id_number(worker.id_number_encrypted)[-6:]
    return (
        f"会员服务 /portal/ 演示会员：{worker.name}，手机号 {DEMO_PHONE}，身份证号后6位 {last6}"
        f"（验证码：python manage.py sms_outbox {DEMO_PHONE}）"
    )
