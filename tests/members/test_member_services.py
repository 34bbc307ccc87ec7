import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import system
from members.models import Member
from members.services import member_create, member_leave, member_update
from tests.concurrency import race
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

pytestmark = pytest.mark.django_db


def test_create_derives_gender_and_birth_date_from_the_number(tree, staff):
    number = make_id_number(birth=dt.date(1988, 2, 29), male=False)
    member = member_create(
        id_number=number.lower(),
        name=" 陈  小红 ",
        union=tree.zhili_factory,
        phone="+86 139 0000 1111",
        joined_on=dt.date(2024, 3, 1),
        by=staff["township_admin"],
    )
    assert member.gender == "F"
    assert member.birth_date == dt.date(1988, 2, 29)
    assert member.name == "陈 小红"
    assert member.phone == "13900001111"
    assert member.status == Member.Status.ACTIVE


def test_a_second_active_membership_for_one_number_is_refused(tree):
    number = make_id_number()
    member_create(id_number=number, name="张三", union=tree.zhili_factory, by=system("test"))
    with pytest.raises(ValidationError) as exc:
        member_create(id_number=number, name="张三", union=tree.balidian_factory, by=system("test"))
    assert "已在“织里童装厂工会”在会" in str(exc.value)
    assert Member.objects.count() == 1


def test_the_refusal_does_not_say_where_when_the_member_is_outside_the_clerks_tree(tree, staff):
    number = make_id_number()
    member_create(id_number=number, name="张三", union=tree.shuanglin_factory, by=system("test"))
    with pytest.raises(ValidationError) as exc:
        member_create(
            id_number=number, name="张三", union=tree.zhili_factory, by=staff["district_admin"]
        )
    assert "其他工会" in str(exc.value)
    assert "双林" not in str(exc.value)


def test_a_member_who_left_may_rejoin(tree):
    number = make_id_number()
    first = member_create(
        id_number=number,
        name="张三",
        union=tree.zhili_factory,
        joined_on=dt.date(2020, 1, 1),
        by=system("test"),
    )
    member_leave(member=first, left_on=dt.date(2022, 1, 1), by=system("test"))
    second = member_create(
        id_number=number, name="张三", union=tree.balidian_factory, by=system("test")
    )
    assert Member.objects.filter(id_number_hash=first.id_number_hash).count() == 2
    assert second.status == Member.Status.ACTIVE


def test_joining_a_district_union_directly_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        member_create(id_number=make_id_number(), name="张三", union=tree.wuxing, by=system("test"))
    assert "基层工会" in str(exc.value)
    assert Member.objects.count() == 0


def test_all_field_problems_are_reported_at_once(tree):
    with pytest.raises(ValidationError) as exc:
        member_create(
            id_number="330502900517123",
            name="",
            union=tree.zhili_factory,
            phone="12345",
            by=system("test"),
        )
    assert set(exc.value.message_dict) == {"id_number", "name", "phone"}
    assert Member.objects.count() == 0


def test_a_gig_worker_joins_a_joint_union_without_an_enterprise(tree):
    member = member_create(
        id_number=make_id_number(),
        name="骑手小王",
        union=tree.zhili_joint,
        employment_form=Member.EmploymentForm.FOOD_DELIVERY,
        by=system("test"),
    )
    assert member.enterprise is None
    assert member.is_new_employment_form


def test_a_clerk_cannot_enrol_into_a_union_outside_their_tree(tree, staff):
    with pytest.raises(PermissionDenied):
        member_create(
            id_number=make_id_number(),
            name="张三",
            union=tree.shuanglin_factory,
            by=staff["district_admin"],
        )
    assert Member.objects.count() == 0


def test_leadership_is_read_only(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(PermissionDenied):
        member_update(member=member, data={"phone": "13911112222"}, by=staff["leadership"])
    member.refresh_from_db()
    assert member.phone == "13800000000"


def test_update_refuses_the_union_and_the_id_number(tree):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValidationError):
        member_update(member=member, data={"union": tree.balidian_factory}, by=system("test"))
    member.refresh_from_db()
    assert member.union == tree.zhili_factory


def test_update_refuses_an_enterprise_outside_the_tree(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    elsewhere = EnterpriseFactory(union=tree.shuanglin_factory)
    with pytest.raises(ValidationError) as exc:
        member_update(member=member, data={"enterprise": elsewhere}, by=staff["township_admin"])
    assert "enterprise" in exc.value.message_dict
    member.refresh_from_db()
    assert member.enterprise is None


def test_leaving_before_joining_is_refused(tree):
    member = MemberFactory(union=tree.zhili_factory, joined_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        member_leave(member=member, left_on=dt.date(2019, 12, 31), by=system("test"))
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_two_clerks_enrolling_one_person_at_once_make_one_membership(tree):
    # given: eight clerks enrolling the same number
    number = make_id_number()

    def enrol() -> str:
        try:
            member_create(
                id_number=number, name="张三", union=tree.zhili_factory, by=system("test")
            )
        except ValidationError:
            return "refused"
        return "created"

    # when: the other seven have all checked for an active membership (and found none) by the
    # time the first writes its row
    outcomes = race(*[enrol] * 8)
    # then
    assert outcomes.count("created") == 1, outcomes
    assert outcomes.count("refused") == 7, outcomes
    assert Member.objects.count() == 1
