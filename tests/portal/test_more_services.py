"""More member services from the phone: hardship aid, transfer requests, legal consultation,
湖工助业 fairs and courses, honours and certificates, golden ideas. A member reads and writes only
their own records, whatever id is in the URL or form; each refusal says why in Chinese and writes
nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from members.actors import MemberActor
from members.models import MemberTransfer
from members.services import transfer_accept_in, transfer_approve_out
from skills.models import GoldenIdea
from tests.factories import MemberFactory, make_staff
from tests.portal.helpers import fresh_code, signed_in
from tests.skills.factories import CertificationFactory, HonourFactory, IdeaFactory
from welfare import services as welfare_services
from welfare.models import (
    BankCard,
    HardshipCase,
    JobFair,
    LegalConsultation,
    Trainee,
    TrainingCourse,
)

pytestmark = pytest.mark.django_db

CARD = {"bank_name": "中国农业银行湖州分行", "card_number": "6228 4803 2000 1234 567"}


def member_signed_in(client, union):
    member = MemberFactory(union=union)
    signed_in(client, member)
    # A hardship application that registers a bank card asks for a fresh SMS code (step-up,
    # tested in test_step_up.py); here the code was just entered.
    fresh_code(client, member)
    return member


# --- hardship aid -------------------------------------------------------------------------------


def test_a_member_applies_for_hardship_aid_with_a_new_card_and_staff_assess_it(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    # when
    response = client.post(
        "/portal/services/hardship/",
        {"category": "illness", "application": "爱人住院三个月，家里只有我一人有收入。", **CARD},
    )
    # then
    assert response.status_code == 302
    case = HardshipCase.objects.get()
    assert (case.member, case.union, case.status) == (
        member,
        tree.zhili_factory,
        HardshipCase.Status.APPLIED,
    )
    assert case.bank_card.person_hash == member.id_number_hash
    assert "待工会审核" in client.get("/portal/services/hardship/").content.decode()
    # and the union assesses it; the member sees the state
    welfare_services.hardship_case_assess(
        case=case, assessed_on=timezone.localdate(), by=make_staff(tree.zhili)
    )
    assert "已认定" in client.get("/portal/services/hardship/").content.decode()


def test_hardship_aid_with_a_registered_card_asks_to_confirm_it(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    data = {"category": "illness", "application": "爱人住院三个月，家里只有我一人有收入。"}
    # when: not confirmed
    response = client.post("/portal/services/hardship/", data)
    # then
    assert "请确认收款银行卡" in response.content.decode()
    assert not HardshipCase.objects.exists()
    # when: confirmed
    client.post("/portal/services/hardship/", {**data, "confirm_card": "1"})
    assert HardshipCase.objects.get().bank_card == BankCard.objects.get()


def test_a_second_hardship_application_while_one_waits_is_refused_and_no_card_is_kept(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    card = welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    welfare_services.hardship_case_apply(
        category="illness",
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(member),
    )
    response = client.post(
        "/portal/services/hardship/",
        {
            "category": "disaster",
            "application": "房屋被台风损坏，需要修缮费用。",
            "confirm_card": "1",
        },
    )
    assert "已有一份帮扶申请正在审核" in response.content.decode()
    assert HardshipCase.objects.count() == 1


def test_a_hardship_application_too_short_says_what_to_write(client, tree):
    member_signed_in(client, tree.zhili_factory)
    response = client.post(
        "/portal/services/hardship/", {"category": "illness", "application": "困难", **CARD}
    )
    assert "至少10个字" in response.content.decode()
    assert not HardshipCase.objects.exists()
    assert not BankCard.objects.exists()


def test_an_application_is_not_paid_before_it_is_assessed(tree):
    from django.core.exceptions import ValidationError

    from tests.welfare.factories import FundFactory

    member = MemberFactory(union=tree.zhili_factory)
    card = welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    case = welfare_services.hardship_case_apply(
        category="illness",
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(member),
    )
    with pytest.raises(ValidationError, match="尚未认定"):
        welfare_services.hardship_aid_pay(
            case=case,
            amount=1000,
            fund=FundFactory(union=tree.zhili),
            paid_on=timezone.localdate(),
            by=make_staff(tree.zhili),
        )
    case.refresh_from_db()
    assert case.aid_amount == 0


def test_a_refused_application_shows_the_reason(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    card = welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    case = welfare_services.hardship_case_apply(
        category="illness",
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(member),
    )
    welfare_services.hardship_case_refuse(
        case=case, reason="家庭收入高于困难职工认定标准", by=make_staff(tree.zhili)
    )
    page = client.get("/portal/services/hardship/").content.decode()
    assert "未予认定" in page and "家庭收入高于困难职工认定标准" in page


# --- transfer ------------------------------------------------------------------------------------


def test_a_member_requests_a_transfer_by_code_and_it_goes_through_both_steps(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    # when
    response = client.post(
        "/portal/services/transfer/", {"code": tree.shuanglin_factory.code, "note": "换工作"}
    )
    # then
    assert response.status_code == 302
    transfer = MemberTransfer.objects.get()
    assert (transfer.member, transfer.from_union, transfer.to_union, transfer.status) == (
        member,
        tree.zhili_factory,
        tree.shuanglin_factory,
        MemberTransfer.Status.PENDING_OUT,
    )
    assert "待转出工会审批" in client.get("/portal/services/transfer/").content.decode()
    transfer_approve_out(transfer=transfer, by=make_staff(tree.zhili))
    transfer_accept_in(transfer=transfer, by=make_staff(tree.shuanglin))
    member.refresh_from_db()
    assert member.union == tree.shuanglin_factory
    assert "已完成" in client.get("/portal/services/transfer/").content.decode()


def test_a_member_picks_the_union_from_a_townships_list(client, tree):
    member_signed_in(client, tree.zhili_factory)
    page = client.get("/portal/services/transfer/", {"township": tree.shuanglin.pk})
    assert tree.shuanglin_factory.name in page.content.decode()
    client.post(
        f"/portal/services/transfer/?township={tree.shuanglin.pk}",
        {"union": tree.shuanglin_factory.pk},
    )
    assert MemberTransfer.objects.get().to_union == tree.shuanglin_factory


def test_a_transfer_to_an_unknown_code_or_a_non_grassroots_union_is_refused(client, tree):
    member_signed_in(client, tree.zhili_factory)
    for code in ("999999999", tree.shuanglin.code):
        response = client.post("/portal/services/transfer/", {"code": code})
        assert "未找到该基层工会" in response.content.decode()
    assert not MemberTransfer.objects.exists()


def test_a_transfer_to_the_same_union_or_a_second_open_one_is_refused(client, tree):
    member_signed_in(client, tree.zhili_factory)
    response = client.post("/portal/services/transfer/", {"code": tree.zhili_factory.code})
    assert "转入工会与当前所属工会相同" in response.content.decode()
    assert not MemberTransfer.objects.exists()
    client.post("/portal/services/transfer/", {"code": tree.shuanglin_factory.code})
    response = client.post("/portal/services/transfer/", {"code": tree.balidian_factory.code})
    assert "未办结的转接申请" in response.content.decode()
    assert MemberTransfer.objects.count() == 1


def test_a_member_sees_only_their_own_transfers(client, tree):
    other = MemberFactory(union=tree.zhili_factory)
    from members.services import transfer_request_by_member

    transfer_request_by_member(to_union=tree.shuanglin_factory, by=MemberActor(other))
    member_signed_in(client, tree.zhili_factory)
    page = client.get("/portal/services/transfer/").content.decode()
    assert "还没有转接申请" in page


# --- legal consultation --------------------------------------------------------------------------


def test_a_member_asks_a_legal_question_and_sees_the_answer(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    response = client.post(
        "/portal/services/legal/",
        {"topic": "拖欠工资", "question": "公司已经两个月没发工资了，我该怎么办？"},
    )
    consultation = LegalConsultation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/portal/services/legal/{consultation.pk}/"
    assert (consultation.member, consultation.union) == (member, tree.zhili_factory)
    assert "律师还没有解答" in client.get(response.url).content.decode()
    welfare_services.legal_consultation_update(
        consultation=consultation,
        data={"advice": "可向劳动保障监察大队投诉。", "lawyer": "王律师"},
        by=make_staff(tree.zhili),
    )
    page = client.get(response.url).content.decode()
    assert "可向劳动保障监察大队投诉。" in page and "王律师" in page


def test_another_members_legal_question_is_404(client, tree):
    other = MemberFactory(union=tree.zhili_factory)
    theirs = welfare_services.legal_consultation_ask(
        topic="工伤", question="上班路上被车撞了，算不算工伤？", by=MemberActor(other)
    )
    member_signed_in(client, tree.zhili_factory)
    assert client.get(f"/portal/services/legal/{theirs.pk}/").status_code == 404


def test_a_legal_question_too_short_is_refused_and_nothing_is_written(client, tree):
    member_signed_in(client, tree.zhili_factory)
    response = client.post("/portal/services/legal/", {"topic": "工资", "question": "没发"})
    assert "至少10个字" in response.content.decode()
    assert not LegalConsultation.objects.exists()


# --- 湖工助业 ------------------------------------------------------------------------------------


def course(union, days=10, title="电工培训班"):
    starts = timezone.localdate() + dt.timedelta(days=days)
    return TrainingCourse.objects.create(
        union=union, title=title, starts_on=starts, ends_on=starts + dt.timedelta(days=5)
    )


def test_a_member_sees_fairs_and_courses_in_their_district_and_signs_up(client, tree):
    soon = timezone.localdate() + dt.timedelta(days=7)
    JobFair.objects.create(union=tree.balidian, title="八里店春风招聘会", held_on=soon)
    JobFair.objects.create(union=tree.nanxun, title="南浔招聘会", held_on=soon)
    JobFair.objects.create(union=tree.city, title="全市网络招聘会", held_on=soon, online=True)
    JobFair.objects.create(
        union=tree.wuxing, title="去年的招聘会", held_on=soon - dt.timedelta(days=400)
    )
    offered = course(tree.wuxing)
    course(tree.nanxun, title="南浔焊工班")
    member = member_signed_in(client, tree.zhili_factory)
    # when
    page = client.get("/portal/services/jobs/").content.decode()
    # then
    assert "八里店春风招聘会" in page and "全市网络招聘会" in page and "电工培训班" in page
    assert "南浔招聘会" not in page and "去年的招聘会" not in page and "南浔焊工班" not in page
    response = client.post("/portal/services/jobs/", {"course": offered.pk})
    assert response.status_code == 302
    trainee = Trainee.objects.get()
    assert (trainee.course, trainee.member, trainee.name) == (offered, member, member.name)
    assert "已报名" in client.get("/portal/services/jobs/").content.decode()


def test_a_course_not_offered_to_the_member_is_404(client, tree):
    elsewhere = course(tree.nanxun)
    started = course(tree.wuxing, days=-1)
    member_signed_in(client, tree.zhili_factory)
    for c in (elsewhere, started):
        assert client.post("/portal/services/jobs/", {"course": c.pk}).status_code == 404
    assert not Trainee.objects.exists()


def test_signing_up_twice_for_a_course_says_so(client, tree):
    offered = course(tree.wuxing)
    member_signed_in(client, tree.zhili_factory)
    client.post("/portal/services/jobs/", {"course": offered.pk})
    response = client.post("/portal/services/jobs/", {"course": offered.pk}, follow=True)
    assert "您已报名“电工培训班”" in response.content.decode()
    assert Trainee.objects.count() == 1


# --- honours and certificates ------------------------------------------------------------------


def test_a_member_sees_their_own_honours_and_certificates_only(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    other = MemberFactory(union=tree.zhili_factory)
    HonourFactory(member=member, union=member.union, kind="huzhou_craftsman", year=2024)
    HonourFactory(member=other, union=other.union, kind="zhejiang_craftsman", year=2024)
    CertificationFactory(member=member, union=member.union, occupation="数控车工")
    CertificationFactory(member=other, union=other.union, occupation="焊工")
    page = client.get("/portal/services/honours/").content.decode()
    assert "湖州工匠" in page and "数控车工" in page
    assert "浙江工匠" not in page and "焊工" not in page


# --- golden ideas ----------------------------------------------------------------------------


def test_a_member_submits_a_golden_idea_and_follows_its_status(client, tree):
    member = member_signed_in(client, tree.zhili_factory)
    IdeaFactory(member=MemberFactory(union=tree.zhili_factory), title="别人的点子")
    response = client.post(
        "/portal/services/ideas/", {"title": "换模定位销", "content": "加装定位销，换模缩短一半"}
    )
    assert response.status_code == 302
    idea = GoldenIdea.objects.get(member=member)
    assert (idea.title, idea.union, idea.status) == ("换模定位销", member.union, "submitted")
    page = client.get("/portal/services/ideas/").content.decode()
    assert "换模定位销" in page and "已提交" in page and "别人的点子" not in page


def test_an_empty_golden_idea_is_refused(client, tree):
    member_signed_in(client, tree.zhili_factory)
    response = client.post("/portal/services/ideas/", {"title": "", "content": ""})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()
    assert not GoldenIdea.objects.exists()


def test_the_home_page_has_a_tile_for_each_new_service(client, tree):
    member_signed_in(client, tree.zhili_factory)
    page = client.get("/portal/").content.decode()
    for url in ("hardship", "transfer", "legal", "jobs", "honours", "ideas"):
        assert f"/portal/services/{url}/" in page


def test_staff_assess_a_members_application_from_the_admin_list(client, tree):
    member = MemberFactory(union=tree.zhili_factory)
    card = welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    case = welfare_services.hardship_case_apply(
        category="illness",
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(member),
    )
    client.force_login(make_staff(tree.zhili))
    # when
    response = client.post(
        "/admin/welfare/hardshipcase/",
        {"action": "assess_today", "_selected_action": [case.pk]},
    )
    # then
    assert response.status_code == 302
    assert response.url == "/admin/welfare/hardshipcase/"
    case.refresh_from_db()
    assert (case.status, case.assessed_on) == (HardshipCase.Status.ASSESSED, timezone.localdate())


def test_staff_of_another_district_cannot_assess_the_application(client, tree):
    member = MemberFactory(union=tree.zhili_factory)
    card = welfare_services.bank_card_set(by=MemberActor(member), **CARD)
    case = welfare_services.hardship_case_apply(
        category="illness",
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(member),
    )
    client.force_login(make_staff(tree.nanxun))
    client.post(
        "/admin/welfare/hardshipcase/",
        {"action": "assess_today", "_selected_action": [case.pk]},
    )
    case.refresh_from_db()
    assert case.status == HardshipCase.Status.APPLIED
