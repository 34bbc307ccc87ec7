"""Recording activities through the services: what is checked, and who may do it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services
from activities.kinds import builtin_kind
from activities.models import Activity, ActivityKind, ActivityReach, CulturePosition
from members.actors import system
from tests.activities.factories import ActivityFactory, local
from tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db


def create(**overrides):
    values = {
        "kind": builtin_kind(ActivityKind.PRE_SHIFT),
        "title": "守好红色根脉·班前十分钟",
        "starts_at": local(2024, 6, 3, 8),
        "ends_at": local(2024, 6, 3, 8, 10),
        "speaker": "沈师傅",
        "speaker_kind": Activity.SpeakerKind.MODEL_WORKER,
        "by": system("test"),
    }
    values.update(overrides)
    return services.activity_create(**values)


def test_a_grassroots_session_reaches_its_own_enterprise_by_default(tree, staff):
    # given
    enterprise = EnterpriseFactory(union=tree.zhili_factory)

    # when
    activity = create(union=tree.zhili_factory, by=staff["grassroots_admin"])

    # then
    assert [(r.enterprise_id, r.team) for r in activity.reaches.all()] == [(enterprise.pk, "")]
    assert activity.created_by == staff["grassroots_admin"]


def test_a_session_may_reach_teams_within_enterprises_of_its_union(tree, staff):
    # given
    enterprise = EnterpriseFactory(union=tree.zhili_factory)

    # when
    activity = create(
        union=tree.zhili,
        reaches=[(enterprise, "裁剪 车间"), (enterprise, "缝纫车间"), (enterprise, "裁剪 车间")],
        by=staff["township_admin"],
    )

    # then
    teams = list(activity.reaches.values_list("team", flat=True))
    assert sorted(teams) == sorted(["裁剪 车间", "缝纫车间"])


def test_reaching_an_enterprise_outside_the_organising_union_is_refused(tree):
    # given
    elsewhere = EnterpriseFactory(union=tree.shuanglin_factory)

    # when
    with pytest.raises(ValidationError) as exc:
        create(union=tree.zhili, reaches=[(elsewhere, "")])

    # then
    assert "不在主办工会“织里镇总工会”的范围内" in exc.value.message_dict["reaches"][0]
    assert Activity.objects.count() == 0
    assert ActivityReach.objects.count() == 0


def test_a_session_needs_a_speaker_and_the_speakers_kind(tree):
    # when
    with pytest.raises(ValidationError) as exc:
        create(union=tree.zhili, speaker="", speaker_kind="")

    # then
    assert set(exc.value.message_dict) == {"speaker", "speaker_kind"}
    assert Activity.objects.count() == 0


def test_a_show_ignores_speaker_fields_and_keeps_a_headcount(tree):
    # when
    show = create(
        union=tree.zhili,
        kind=builtin_kind(ActivityKind.CULTURE_SHOW),
        speaker="某剧团",
        speaker_kind=Activity.SpeakerKind.OTHER,
        headcount=350,
    )

    # then
    assert (show.speaker, show.speaker_kind, show.headcount) == ("", "", 350)


def test_the_end_must_come_after_the_start(tree):
    # when
    with pytest.raises(ValidationError) as exc:
        create(union=tree.zhili, ends_at=local(2024, 6, 3, 7, 59))

    # then
    assert exc.value.message_dict["ends_at"] == ["结束时间须晚于开始时间。"]
    assert Activity.objects.count() == 0


def test_naive_times_are_refused(tree):
    # when
    with pytest.raises(ValidationError) as exc:
        create(union=tree.zhili, starts_at=dt.datetime(2024, 6, 3, 8))  # noqa: DTZ001

    # then
    assert "starts_at" in exc.value.message_dict
    assert Activity.objects.count() == 0


def test_a_member_day_event_falls_on_the_20th(tree):
    # given
    kind = builtin_kind(ActivityKind.MEMBER_DAY)

    # when
    with pytest.raises(ValidationError) as exc:
        create(
            union=tree.wuxing,
            kind=kind,
            starts_at=local(2024, 6, 19, 19),
            ends_at=local(2024, 6, 19, 21),
        )
    ok = create(
        union=tree.wuxing,
        kind=kind,
        starts_at=local(2024, 6, 20, 19),
        ends_at=local(2024, 6, 20, 21),
    )

    # then
    assert exc.value.message_dict["starts_at"] == ["工会会员日为每月20日，请核对活动日期。"]
    assert list(Activity.objects.values_list("pk", flat=True)) == [ok.pk]


def test_staff_cannot_record_an_activity_of_a_union_outside_their_tree(tree, staff):
    # when
    with pytest.raises(PermissionDenied):
        create(union=tree.shuanglin_factory, by=staff["district_admin"])

    # then
    assert Activity.objects.count() == 0


def test_leadership_is_read_only(tree, staff):
    # when
    with pytest.raises(PermissionDenied):
        create(union=tree.zhili, by=staff["leadership"])

    # then
    assert Activity.objects.count() == 0


def test_the_kind_and_union_of_an_activity_cannot_be_changed(tree):
    # given
    activity = ActivityFactory(union=tree.zhili)

    # when
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, data={"union": tree.nanxun}, by=system("test"))

    # then
    activity.refresh_from_db()
    assert activity.union == tree.zhili


def test_staff_record_attendance_once(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    member = MemberFactory(union=tree.zhili_factory)

    # when
    first, created_first = services.attendance_record(
        activity=activity, member=member, by=staff["grassroots_admin"]
    )
    again, created_again = services.attendance_record(
        activity=activity, member=member, by=staff["grassroots_admin"]
    )

    # then
    assert (created_first, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.method == "staff"


def test_only_city_staff_add_activity_kinds(tree, staff):
    # when
    with pytest.raises(PermissionDenied):
        services.activity_kind_create(code="reading", name="职工读书会", by=staff["district_admin"])
    kind = services.activity_kind_create(code="reading", name="职工读书会", by=staff["city_admin"])

    # then
    assert list(ActivityKind.objects.filter(code="reading")) == [kind]
    assert kind.is_builtin is False


def test_culture_positions_are_built_by_township_unions(tree, staff):
    # when
    with pytest.raises(ValidationError) as exc:
        services.culture_position_create(
            name="职工书屋",
            union=tree.zhili_factory,
            opened_on=dt.date(2024, 5, 1),
            by=system("test"),
        )
    position = services.culture_position_create(
        name="织里镇职工文化家园",
        union=tree.zhili,
        opened_on=dt.date(2024, 5, 1),
        by=staff["township_admin"],
    )

    # then
    assert "乡镇(街道)工会" in exc.value.message_dict["union"][0]
    assert list(CulturePosition.objects.all()) == [position]


def test_a_shared_centre_records_its_builders_and_the_enterprises_it_serves(tree, staff):
    # given
    served = [EnterpriseFactory(union=tree.zhili_factory) for _ in range(3)]

    # when
    centre = services.shared_centre_create(
        name="永艺职工文体中心",
        union=tree.zhili_factory,
        co_builders=[tree.zhili],
        enterprises=served,
        workers_served=30000,
        opened_on=dt.date(2024, 4, 1),
        by=staff["township_admin"],
    )

    # then
    assert list(centre.co_builders.all()) == [tree.zhili]
    assert set(centre.enterprises.all()) == set(served)
