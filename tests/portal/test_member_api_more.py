"""More of the member API (/api/v1/me/): a claim's detail and withdrawal, the year's mutual-aid
cover, hardship aid, recuperation sign-up, job fairs and courses, legal consultation, transfer
requests, honours and certificates, golden ideas, stations, corrections, ID views. Each endpoint: the member's own record works, another member's record is a 404 or not
listed, a staff token is refused, and a bad input is a Chinese 400 that writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from members.actors import MemberActor
from members.models import IdNumberAccess, MemberTransfer
from members.services import transfer_accept_in, transfer_approve_out
from members.tokens import token_issue
from portal.models_account import CorrectionRequest
from skills.models import GoldenIdea
from tests.factories import MemberFactory, make_staff
from tests.portal.helpers import last_code
from tests.skills.factories import CertificationFactory, HonourFactory, IdeaFactory
from tests.welfare.factories import (
    ClaimFactory,
    EnrolmentFactory,
    LineFactory,
    PlanFactory,
    StationFactory,
)
from welfare import services as welfare_services
from welfare.models import (
    BankCard,
    Claim,
    ClaimEvent,
    HardshipCase,
    JobFair,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    Trainee,
    TrainingCourse,
)

pytestmark = pytest.mark.django_db

PHONE = "13912340077"
CARD = {"bank_name": "中国农业银行湖州分行", "card_number": "6228 4803 2000 1234 567"}


def member_client(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def staff_client(user) -> APIClient:
    _token, key = token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory, phone=PHONE, name="钱师傅")


@pytest.fixture
def other(tree):
    return MemberFactory(union=tree.zhili_factory)


# --- claims/<id>/ --------------------------------------------------------------------------------


def test_a_member_reads_their_claim_with_its_history(me):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me))
    response = member_client(me).get(f"/api/v1/me/claims/{claim.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["hospital"] == "湖州市中心医院"
    assert body["state"] == Claim.State.SUBMITTED
    assert body["can_withdraw"] is True


def test_a_member_withdraws_their_open_claim(me):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me))
    response = member_client(me).post(
        f"/api/v1/me/claims/{claim.pk}/", {"confirm": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN
    event = ClaimEvent.objects.get(claim=claim)
    assert event.by_member and event.to_state == Claim.State.WITHDRAWN
    assert response.json()["can_withdraw"] is False
    assert response.json()["events"][0]["by_member"] is True


def test_another_members_claim_is_not_found_to_read_or_withdraw(me, other):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=other))
    client = member_client(me)
    assert client.get(f"/api/v1/me/claims/{claim.pk}/").status_code == 404
    response = client.post(f"/api/v1/me/claims/{claim.pk}/", {"confirm": True}, format="json")
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_a_staff_token_cannot_read_or_withdraw_a_members_claim(staff, me):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me))
    client = staff_client(staff["city_admin"])
    assert client.get(f"/api/v1/me/claims/{claim.pk}/").status_code in (401, 403)
    response = client.post(f"/api/v1/me/claims/{claim.pk}/", {"confirm": True}, format="json")
    assert response.status_code in (401, 403)
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_withdrawing_without_confirming_is_refused_in_chinese_and_changes_nothing(me):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me))
    response = member_client(me).post(
        f"/api/v1/me/claims/{claim.pk}/", {"confirm": False}, format="json"
    )
    assert response.status_code == 400
    assert "请确认撤回" in str(response.json())
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED and not ClaimEvent.objects.exists()


def test_withdrawing_a_decided_claim_is_refused_in_chinese_and_changes_nothing(me):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me), state=Claim.State.APPROVED)
    response = member_client(me).post(
        f"/api/v1/me/claims/{claim.pk}/", {"confirm": True}, format="json"
    )
    assert response.status_code == 400
    assert "撤回" in str(response.json())
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and not ClaimEvent.objects.exists()


# --- cover/ --------------------------------------------------------------------------------------


def test_a_member_sees_only_their_own_cover_for_the_year_asked(me, other):
    year = timezone.localdate().year
    this_year = LineFactory(plan=PlanFactory(year=year))
    last_year = LineFactory(plan=PlanFactory(year=year - 1))
    EnrolmentFactory(member=me, line=this_year)
    EnrolmentFactory(member=me, line=last_year)
    EnrolmentFactory(member=other, line=LineFactory(plan=PlanFactory(year=year), name="门诊"))
    client = member_client(me)

    rows = client.get("/api/v1/me/cover/").json()
    assert [(row["year"], row["line"]) for row in rows] == [(year, "住院医疗互助")]
    rows = client.get("/api/v1/me/cover/", {"year": year - 1}).json()
    assert [row["year"] for row in rows] == [year - 1]


def test_a_staff_token_cannot_read_cover(staff):
    assert staff_client(staff["city_admin"]).get("/api/v1/me/cover/").status_code in (401, 403)


def test_a_bad_year_for_cover_is_a_400(me):
    response = member_client(me).get("/api/v1/me/cover/", {"year": "明年"})
    assert response.status_code == 400 and "year" in response.json()


# --- hardship/ -----------------------------------------------------------------------------------


def test_a_member_with_a_card_applies_for_hardship_aid_confirming_the_card(me):
    card = welfare_services.bank_card_set(by=MemberActor(me), **CARD)
    client = member_client(me)
    response = client.post(
        "/api/v1/me/hardship/",
        {
            "category": "illness",
            "application": "爱人住院三个月，家里只有我一人有收入。",
            "confirm_card": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = HardshipCase.objects.get()
    assert case.member == me and case.bank_card == card
    assert case.status == HardshipCase.Status.APPLIED
    assert [row["id"] for row in client.get("/api/v1/me/hardship/").json()] == [case.pk]


def test_a_member_without_a_card_registers_one_with_a_fresh_code_and_applies(me):
    client = member_client(me)
    assert client.post("/api/v1/me/step-up/code/").status_code == 204
    response = client.post(
        "/api/v1/me/hardship/",
        {
            "category": "illness",
            "application": "爱人住院三个月，家里只有我一人有收入。",
            **CARD,
            "code": last_code(PHONE),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert HardshipCase.objects.get().bank_card == BankCard.objects.get()


def test_a_new_card_for_hardship_without_a_code_is_refused_and_nothing_is_written(me):
    response = member_client(me).post(
        "/api/v1/me/hardship/",
        {"category": "illness", "application": "爱人住院三个月，家里只有我一人有收入。", **CARD},
        format="json",
    )
    assert response.status_code == 403 and "短信验证" in response.json()["detail"]
    assert not BankCard.objects.exists() and not HardshipCase.objects.exists()


def test_a_refused_hardship_application_keeps_no_new_card(me):
    client = member_client(me)
    card = welfare_services.bank_card_set(by=MemberActor(me), **CARD)
    welfare_services.hardship_case_apply(
        category="illness",
        application="第一次申请：爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(me),
    )
    # The card is replaced out of band so the next application registers a new one.
    BankCard.objects.update(replaced_at=timezone.now())
    client.post("/api/v1/me/step-up/code/")
    response = client.post(
        "/api/v1/me/hardship/",
        {
            "category": "disaster",
            "application": "第二次申请：台风把家里的房子损坏了，需要修缮。",
            **CARD,
            "code": last_code(PHONE),
        },
        format="json",
    )
    assert response.status_code == 400
    assert HardshipCase.objects.count() == 1 and BankCard.objects.count() == 1


def test_another_members_hardship_cases_are_not_listed(me, other):
    card = welfare_services.bank_card_set(by=MemberActor(other), **CARD)
    welfare_services.hardship_case_apply(
        category="illness",
        application="别人的申请：爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
        by=MemberActor(other),
    )
    assert member_client(me).get("/api/v1/me/hardship/").json() == []


def test_a_staff_token_cannot_apply_for_hardship(staff):
    response = staff_client(staff["city_admin"]).post(
        "/api/v1/me/hardship/",
        {"category": "illness", "application": "x", "confirm_card": True},
        format="json",
    )
    assert response.status_code in (401, 403)
    assert not HardshipCase.objects.exists()


def test_hardship_without_confirming_the_card_is_refused_in_chinese_and_writes_nothing(me):
    welfare_services.bank_card_set(by=MemberActor(me), **CARD)
    response = member_client(me).post(
        "/api/v1/me/hardship/",
        {"category": "illness", "application": "爱人住院三个月，家里只有我一人有收入。"},
        format="json",
    )
    assert response.status_code == 400 and "请确认收款银行卡" in str(response.json())
    assert not HardshipCase.objects.exists()


# --- recuperation/ -------------------------------------------------------------------------------


def programme(union, capacity=2):
    starts = timezone.localdate() + dt.timedelta(days=20)
    return RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="安吉普惠性疗休养",
        destination="安吉",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
        capacity=capacity,
    )


def test_a_member_signs_up_for_an_open_programme_and_sees_the_place(tree, me):
    offered = programme(tree.wuxing)
    client = member_client(me)
    listed = client.get("/api/v1/me/recuperation/").json()
    assert [(p["id"], p["places_left"], p["signed_up"]) for p in listed["open"]] == [
        (offered.pk, 2, False)
    ]
    response = client.post("/api/v1/me/recuperation/", {"programme": offered.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert RecuperationParticipant.objects.get().member == me
    listed = client.get("/api/v1/me/recuperation/").json()
    assert listed["open"][0]["places_left"] == 1 and listed["open"][0]["signed_up"] is True
    assert [p["programme"] for p in listed["mine"]] == [offered.pk]


def test_a_programme_not_offered_to_the_member_is_404_and_nothing_is_written(tree, me):
    elsewhere = programme(tree.nanxun)
    response = member_client(me).post(
        "/api/v1/me/recuperation/", {"programme": elsewhere.pk}, format="json"
    )
    assert response.status_code == 404
    assert not RecuperationParticipant.objects.exists()


def test_another_members_places_are_not_listed(tree, me, other):
    offered = programme(tree.wuxing)
    member_client(other).post("/api/v1/me/recuperation/", {"programme": offered.pk}, format="json")
    assert member_client(me).get("/api/v1/me/recuperation/").json()["mine"] == []


def test_a_staff_token_cannot_sign_up_for_recuperation(tree, staff):
    offered = programme(tree.wuxing)
    response = staff_client(staff["city_admin"]).post(
        "/api/v1/me/recuperation/", {"programme": offered.pk}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not RecuperationParticipant.objects.exists()


def test_a_full_programme_is_a_chinese_400_and_no_place_is_written(tree, me, other):
    offered = programme(tree.wuxing, capacity=1)
    member_client(other).post("/api/v1/me/recuperation/", {"programme": offered.pk}, format="json")
    response = member_client(me).post(
        "/api/v1/me/recuperation/", {"programme": offered.pk}, format="json"
    )
    assert response.status_code == 400 and "已满" in str(response.json())
    assert list(offered.participants.values_list("member", flat=True)) == [other.pk]


def test_a_programme_id_that_is_not_a_number_is_a_400(me):
    response = member_client(me).post(
        "/api/v1/me/recuperation/", {"programme": "安吉"}, format="json"
    )
    assert response.status_code == 400 and "programme" in response.json()
    assert not RecuperationParticipant.objects.exists()


# --- jobs/ ---------------------------------------------------------------------------------------


def course(union, days=10, title="电工培训班"):
    starts = timezone.localdate() + dt.timedelta(days=days)
    return TrainingCourse.objects.create(
        union=union, title=title, starts_on=starts, ends_on=starts + dt.timedelta(days=5)
    )


def test_a_member_sees_fairs_and_courses_in_their_district_and_signs_up(tree, me):
    soon = timezone.localdate() + dt.timedelta(days=7)
    JobFair.objects.create(union=tree.balidian, title="八里店春风招聘会", held_on=soon)
    JobFair.objects.create(union=tree.nanxun, title="南浔招聘会", held_on=soon)
    offered = course(tree.wuxing)
    course(tree.nanxun, title="南浔焊工班")
    client = member_client(me)
    listed = client.get("/api/v1/me/jobs/").json()
    assert [f["title"] for f in listed["fairs"]] == ["八里店春风招聘会"]
    assert [c["title"] for c in listed["courses"]] == ["电工培训班"]
    response = client.post(
        "/api/v1/me/jobs/courses/sign-up/", {"course": offered.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Trainee.objects.get().member == me
    listed = client.get("/api/v1/me/jobs/").json()
    assert listed["courses"][0]["signed_up"] is True
    assert [t["course"] for t in listed["mine"]] == [offered.pk]


def test_a_course_in_another_district_is_404_and_nothing_is_written(tree, me):
    elsewhere = course(tree.nanxun)
    response = member_client(me).post(
        "/api/v1/me/jobs/courses/sign-up/", {"course": elsewhere.pk}, format="json"
    )
    assert response.status_code == 404
    assert not Trainee.objects.exists()


def test_another_members_course_places_are_not_listed(tree, me, other):
    offered = course(tree.wuxing)
    member_client(other).post(
        "/api/v1/me/jobs/courses/sign-up/", {"course": offered.pk}, format="json"
    )
    assert member_client(me).get("/api/v1/me/jobs/").json()["mine"] == []


def test_a_staff_token_cannot_sign_up_for_a_course(tree, staff):
    offered = course(tree.wuxing)
    client = staff_client(staff["city_admin"])
    assert client.get("/api/v1/me/jobs/").status_code in (401, 403)
    response = client.post(
        "/api/v1/me/jobs/courses/sign-up/", {"course": offered.pk}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not Trainee.objects.exists()


def test_signing_up_twice_is_a_chinese_400_and_one_place_is_kept(tree, me):
    offered = course(tree.wuxing)
    client = member_client(me)
    client.post("/api/v1/me/jobs/courses/sign-up/", {"course": offered.pk}, format="json")
    response = client.post(
        "/api/v1/me/jobs/courses/sign-up/", {"course": offered.pk}, format="json"
    )
    assert response.status_code == 400 and "已报名" in str(response.json())
    assert Trainee.objects.count() == 1


# --- legal/ --------------------------------------------------------------------------------------

QUESTION = {"topic": "拖欠工资", "question": "公司已经三个月没有发工资了，我该怎么办？"}


def test_a_member_asks_a_legal_question_and_reads_the_answer(tree, me):
    client = member_client(me)
    response = client.post("/api/v1/me/legal/", QUESTION, format="json")
    assert response.status_code == 201, response.json()
    consultation = LegalConsultation.objects.get()
    assert (consultation.member, consultation.union) == (me, tree.zhili_factory)
    assert response.json()["answered"] is False
    welfare_services.legal_consultation_update(
        consultation=consultation,
        data={"advice": "可向劳动保障监察大队投诉。", "lawyer": "王律师"},
        by=make_staff(tree.zhili),
    )
    rows = client.get("/api/v1/me/legal/").json()
    assert [(r["advice"], r["lawyer"], r["answered"]) for r in rows] == [
        ("可向劳动保障监察大队投诉。", "王律师", True)
    ]
    assert client.get(f"/api/v1/me/legal/{consultation.pk}/").json()["topic"] == "拖欠工资"


def test_another_members_legal_question_is_404_and_not_listed(me, other):
    member_client(other).post("/api/v1/me/legal/", QUESTION, format="json")
    theirs = LegalConsultation.objects.get()
    client = member_client(me)
    assert client.get(f"/api/v1/me/legal/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/me/legal/").json() == []


def test_a_staff_token_cannot_ask_a_legal_question(staff):
    response = staff_client(staff["city_admin"]).post("/api/v1/me/legal/", QUESTION, format="json")
    assert response.status_code in (401, 403)
    assert not LegalConsultation.objects.exists()


def test_a_too_short_legal_question_is_a_chinese_400_and_nothing_is_written(me):
    response = member_client(me).post(
        "/api/v1/me/legal/", {"topic": "工资", "question": "没发"}, format="json"
    )
    assert response.status_code == 400 and "至少10个字" in str(response.json())
    assert not LegalConsultation.objects.exists()


# --- transfer/ -----------------------------------------------------------------------------------


def test_a_member_requests_a_transfer_by_code_and_follows_it(tree, me):
    client = member_client(me)
    response = client.post(
        "/api/v1/me/transfer/",
        {"code": tree.shuanglin_factory.code, "note": "换工作"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    transfer = MemberTransfer.objects.get()
    assert (transfer.member, transfer.from_union, transfer.to_union, transfer.status) == (
        me,
        tree.zhili_factory,
        tree.shuanglin_factory,
        MemberTransfer.Status.PENDING_OUT,
    )
    transfer_approve_out(transfer=transfer, by=make_staff(tree.zhili))
    transfer_accept_in(transfer=transfer, by=make_staff(tree.shuanglin))
    rows = client.get("/api/v1/me/transfer/").json()
    assert [(r["id"], r["status"]) for r in rows] == [(transfer.pk, "completed")]


def test_another_members_transfers_are_not_listed(tree, me, other):
    member_client(other).post(
        "/api/v1/me/transfer/", {"code": tree.shuanglin_factory.code}, format="json"
    )
    assert MemberTransfer.objects.count() == 1
    assert member_client(me).get("/api/v1/me/transfer/").json() == []


def test_a_staff_token_cannot_request_a_transfer(tree, staff):
    response = staff_client(staff["city_admin"]).post(
        "/api/v1/me/transfer/", {"code": tree.shuanglin_factory.code}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not MemberTransfer.objects.exists()


@pytest.mark.parametrize("which", ["unknown", "township", "own"])
def test_a_transfer_to_a_wrong_union_is_a_chinese_400_and_nothing_is_written(tree, me, which):
    code = {
        "unknown": "NO-SUCH-CODE",
        "township": tree.zhili.code,
        "own": tree.zhili_factory.code,
    }[which]
    response = member_client(me).post("/api/v1/me/transfer/", {"code": code}, format="json")
    assert response.status_code == 400, response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))
    assert not MemberTransfer.objects.exists()


# --- honours/ ------------------------------------------------------------------------------------


def test_a_member_reads_only_their_own_honours_and_certificates(me, other):
    HonourFactory(member=me, union=me.union, kind="huzhou_craftsman", year=2024)
    HonourFactory(member=other, union=other.union, kind="zhejiang_craftsman", year=2024)
    CertificationFactory(member=me, union=me.union, occupation="数控车工")
    CertificationFactory(member=other, union=other.union, occupation="焊工")
    body = member_client(me).get("/api/v1/me/honours/").json()
    assert [h["kind"] for h in body["honours"]] == ["湖州工匠"]
    assert [c["occupation"] for c in body["certifications"]] == ["数控车工"]


def test_a_staff_token_cannot_read_a_members_honours(staff):
    assert staff_client(staff["city_admin"]).get("/api/v1/me/honours/").status_code in (401, 403)


# --- ideas/ --------------------------------------------------------------------------------------

IDEA = {"title": "换模定位销", "content": "加装定位销，换模时间缩短一半"}


def test_a_member_submits_a_golden_idea_and_sees_only_their_own(tree, me, other):
    IdeaFactory(member=other, title="别人的点子")
    client = member_client(me)
    response = client.post("/api/v1/me/ideas/", IDEA, format="json")
    assert response.status_code == 201, response.json()
    idea = GoldenIdea.objects.get(member=me)
    assert idea.title == "换模定位销"
    assert [i["title"] for i in client.get("/api/v1/me/ideas/").json()] == ["换模定位销"]


def test_a_staff_token_cannot_submit_an_idea(staff):
    response = staff_client(staff["city_admin"]).post("/api/v1/me/ideas/", IDEA, format="json")
    assert response.status_code in (401, 403)
    assert not GoldenIdea.objects.exists()


def test_an_idea_without_content_is_a_chinese_400_and_nothing_is_written(me):
    response = member_client(me).post(
        "/api/v1/me/ideas/", {"title": "换模定位销", "content": ""}, format="json"
    )
    assert response.status_code == 400 and "content" in response.json()
    assert not GoldenIdea.objects.exists()


def test_an_idea_photo_that_is_not_an_image_is_a_chinese_400_and_nothing_is_written(me):
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = member_client(me).post(
        "/api/v1/me/ideas/", {**IDEA, "photo": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))
    assert not GoldenIdea.objects.exists()


# --- stations/ -----------------------------------------------------------------------------------


def test_a_member_reads_the_stations_of_a_district_with_open_now(tree, me):
    StationFactory(
        union=tree.zhili,
        kind=ServiceStation.Kind.OUTDOOR_WORKER,
        name="织里驿站",
        address="织里镇大港路1号",
        opening_hours="00:00-24:00",
    )
    StationFactory(
        union=tree.nanxun,
        kind=ServiceStation.Kind.MOMMY_ROOM,
        name="南浔妈咪小屋",
        address="南浔区人民路2号",
        opening_hours="08:00-17:00",
    )
    client = member_client(me)
    rows = client.get("/api/v1/me/stations/", {"district": tree.wuxing.pk}).json()
    assert [(r["name"], r["open_now"]) for r in rows] == [("织里驿站", True)]
    assert len(client.get("/api/v1/me/stations/").json()) == 2


def test_a_staff_token_cannot_read_the_member_stations(staff):
    assert staff_client(staff["city_admin"]).get("/api/v1/me/stations/").status_code in (401, 403)


def test_a_district_that_is_not_a_district_is_a_chinese_400(tree, me):
    response = member_client(me).get("/api/v1/me/stations/", {"district": tree.zhili.pk})
    assert response.status_code == 400 and "没有这个区县" in str(response.json())


# --- corrections/ and id-views/ ------------------------------------------------------------------


def test_a_member_asks_for_a_correction_and_sees_only_their_own(me, other):
    member_client(other).post(
        "/api/v1/me/corrections/", {"item": "姓名", "body": "别人的"}, format="json"
    )
    client = member_client(me)
    response = client.post(
        "/api/v1/me/corrections/", {"item": "工作单位", "body": "织里童装一厂"}, format="json"
    )
    assert response.status_code == 201, response.json()
    correction = CorrectionRequest.objects.get(member=me)
    assert (correction.union, correction.item) == (me.union, "工作单位")
    assert [c["item"] for c in client.get("/api/v1/me/corrections/").json()] == ["工作单位"]


def test_a_staff_token_cannot_ask_for_a_correction(staff):
    response = staff_client(staff["city_admin"]).post(
        "/api/v1/me/corrections/", {"item": "姓名", "body": "李四"}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not CorrectionRequest.objects.exists()


def test_a_correction_with_a_blank_body_is_a_chinese_400_and_nothing_is_written(me):
    response = member_client(me).post(
        "/api/v1/me/corrections/", {"item": "姓名", "body": "   "}, format="json"
    )
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))
    assert not CorrectionRequest.objects.exists()


def test_a_member_sees_who_viewed_their_full_id_number_and_not_anothers(tree, me, other):
    viewer = make_staff(tree.zhili)
    IdNumberAccess.objects.create(user=viewer, member=me, channel="admin")
    IdNumberAccess.objects.create(user=viewer, member=other, channel="admin")
    rows = member_client(me).get("/api/v1/me/id-views/").json()
    assert len(rows) == 1
    assert rows[0]["union"] == str(tree.zhili)
    assert viewer.username not in str(rows)


def test_a_staff_token_cannot_read_id_views(staff):
    assert staff_client(staff["city_admin"]).get("/api/v1/me/id-views/").status_code in (401, 403)
