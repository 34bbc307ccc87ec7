"""The personal-data copy (PIPL art. 45) holds every kind of record the union keeps about the
person, on any of their membership rows, past or present: recuperation, training, hardship aid,
legal consultations, job-fair sign-ups, welfare visits, station use, skills, claims and their
receipts, bank cards (masked). Nobody else's record is in it."""

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from members.models import Member
from portal import pipl
from skills.models import SkillCertification
from tests.common.retention_helpers import card, receipt
from tests.factories import MemberFactory, make_id_number
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import (
    BankCard,
    HardshipCase,
    JobFair,
    JobFairSignUp,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationVisit,
    Trainee,
    TrainingCourse,
    Visit,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)

# The sheet each kind of record is on, and the text of ours that shows it there.
SHEETS = {
    "疗休养": "疗休养{m}",
    "就业培训": "培训班{m}",
    "困难职工帮扶": "困难说明{m}",
    "法律咨询": "咨询事由{m}",
    "招聘会报名": "招聘会{m}",
    "慰问记录": "慰问品{m}",
    "服务站点使用": "站点备注{m}",
    "技能人才登记": "工种{m}",
    "理赔票据": "票据{m}.pdf",
    "收款银行卡": "**** **** {tail}",
    "会员登记信息": "{name}",
}


def _records(member: Member, m: str, card_number: str, line) -> None:
    """One record of each kind for `member`, each marked with `m`."""
    union = member.union
    programme = RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name=f"疗休养{m}",
        destination="安吉",
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=4),
        capacity=10,
    )
    RecuperationParticipant.objects.create(programme=programme, member=member, union=union)
    course = TrainingCourse.objects.create(
        union=union, title=f"培训班{m}", starts_on=DAY, ends_on=DAY + dt.timedelta(days=20)
    )
    Trainee.objects.create(course=course, member=member, name=member.name)
    HardshipCase.objects.create(
        member=member,
        union=union,
        category=HardshipCase.Category.ILLNESS,
        status=HardshipCase.Status.APPLIED,
        applied_on=DAY,
        application=f"困难说明{m}",
        bank_card=card(member, card_number),
    )
    LegalConsultation.objects.create(
        union=union, member=member, asked_on=DAY, topic=f"咨询事由{m}", question="工资被拖欠"
    )
    fair = JobFair.objects.create(union=union, title=f"招聘会{m}", held_on=DAY)
    JobFairSignUp.objects.create(fair=fair, member=member, union=union)
    Visit.objects.create(
        member=member,
        union=union,
        visited_on=DAY,
        occasion=Visit.Occasion.WINTER,
        visitor="市总",
        given=f"慰问品{m}",
    )
    station = ServiceStation.objects.create(
        union=union,
        kind=ServiceStation.Kind.OUTDOOR_WORKER,
        name=f"驿站{m}",
        address="湖州",
        built_on=dt.date(2020, 1, 1),
    )
    StationVisit.objects.create(station=station, visited_on=DAY, member=member, note=f"站点备注{m}")
    SkillCertification.objects.create(
        member=member,
        union=union,
        level=SkillCertification.Level.LEVEL4,
        occupation=f"工种{m}",
        certified_on=DAY,
    )
    enrolment = EnrolmentFactory(member=member, union=member.union, line=line)
    receipt(ClaimFactory(enrolment=enrolment), f"票据{m}.pdf", m.encode())


def _sheets(xlsx: bytes) -> dict[str, str]:
    book = load_workbook(io.BytesIO(xlsx))
    return {
        sheet.title: " ".join(
            str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell
        )
        for sheet in book.worksheets
    }


@pytest.fixture
def people(tree):
    # given: a worker who left one union and joined another (two membership rows, one person)
    id_number = make_id_number()
    past = MemberFactory(
        union=tree.shuanglin_factory,
        name="张工",
        id_number=id_number,
        status=Member.Status.LEFT,
        left_on=dt.date(2025, 12, 31),
    )
    me = MemberFactory(union=tree.zhili_factory, name="张工", id_number=id_number)
    other = MemberFactory(union=tree.zhili_factory, name="李别人")
    line = LineFactory(plan=PlanFactory(union=tree.city, year=DAY.year))
    _records(me, "甲", "6222021202001111222", line)
    # the recuperation and the visit were on the old membership row
    RecuperationParticipant.objects.filter(member=me).update(member=past)
    Visit.objects.filter(member=me).update(member=past)
    _records(other, "乙", "6222021202009999888", line)
    return me, other, id_number


def test_the_download_lists_every_kind_of_my_records_and_none_of_anyone_elses(people):
    me, other, id_number = people
    # when
    sheets = _sheets(pipl.personal_data_xlsx(member=me))
    # then: each kind on its own sheet, with my record there
    for title, text in SHEETS.items():
        mine = text.format(m="甲", tail="1222", name="张工")
        assert title in sheets, title
        assert mine in sheets[title], (title, sheets[title])
    # both membership rows, past and present
    assert sheets["会员登记信息"].count("张工") == 2
    # and nothing of the other member's, anywhere
    everything = " ".join(sheets.values())
    for text in SHEETS.values():
        assert text.format(m="乙", tail="9888", name="李别人") not in everything
    assert other.id_number_masked not in everything
    # the ID number and the card number stay masked
    assert id_number not in everything and me.id_number_masked in everything
    assert "6222021202001111222" not in everything
    # the ciphertexts are never columns
    assert me.id_number_encrypted not in everything and me.id_number_hash not in everything
    card_cipher = BankCard.objects.get(holder_name="张工").card_number_encrypted
    assert card_cipher not in everything


def test_the_json_copy_holds_the_same_records(people):
    me, _other, id_number = people
    data = json.loads(pipl.personal_data_json(member=me))
    assert data["招聘会报名"][0]["招聘活动"] == "招聘会甲"
    assert data["法律咨询"][0]["事由"] == "咨询事由甲"
    assert data["理赔票据"][0]["原文件名"] == "票据甲.pdf"
    assert len(data["疗休养"]) == 1 and len(data["就业培训"]) == 1
    assert id_number not in json.dumps(data, ensure_ascii=False)
