"""湖工助业 job fairs: a member signs themselves up for a fair (网上报名) in their district or
city-wide, from the phone or the member API. A fair already held, one whose organiser takes no
sign-ups, a second sign-up and a full fair are refused in Chinese and write nothing; two members
taking the last place, or a double tap, end with one row. The organiser's clerk reads the
sign-ups on the fair in the admin; a clerk of another district does not see the fair at all."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from members.actors import SYSTEM, MemberActor
from members.models import Member
from members.tokens import token_issue
from tests.concurrency import race
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in
from welfare import services
from welfare.models import JobFair, JobFairSignUp

pytestmark = pytest.mark.django_db

INSERT_SIGN_UP = re.compile(r'^INSERT INTO "welfare_jobfairsignup"')
PAGE = "/portal/services/jobs/"
API = "/api/v1/me/jobs/fairs/sign-up/"


def fair(union, *, days=7, title="八里店春风招聘会", **fields) -> JobFair:
    held_on = timezone.localdate() + dt.timedelta(days=days)
    return JobFair.objects.create(union=union, title=title, held_on=held_on, **fields)


def api_client(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def worker(tree):
    return MemberFactory(union=tree.zhili_factory, name="钱骑手", phone="13912347001")


# --- the service --------------------------------------------------------------------------------


def test_a_member_signs_up_for_a_fair_of_their_district(tree, worker):
    # given: a fair of another township of the member's district
    offered = fair(tree.balidian)
    # when
    sign_up = services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    # then
    assert (sign_up.fair, sign_up.member, sign_up.union) == (offered, worker, tree.zhili_factory)
    assert list(offered.sign_ups.all()) == [sign_up]


def test_a_fair_on_the_day_itself_still_takes_sign_ups(tree, worker):
    today = fair(tree.city, days=0, title="全市网络招聘会", online=True)
    services.job_fair_sign_up(fair=today, by=MemberActor(worker))
    assert today.sign_ups.count() == 1


def test_a_fair_already_held_is_refused_and_nothing_is_written(tree, worker):
    held = fair(tree.wuxing, days=-1, title="上周的招聘会")
    with pytest.raises(ValidationError, match=r"已于.*举办，不能再报名"):
        services.job_fair_sign_up(fair=held, by=MemberActor(worker))
    assert not JobFairSignUp.objects.exists()


def test_a_fair_closed_to_sign_ups_is_refused(tree, worker):
    walk_in = fair(tree.wuxing, sign_up_open=False)
    with pytest.raises(ValidationError, match="不接受网上报名，请在举办当天直接到现场参加"):
        services.job_fair_sign_up(fair=walk_in, by=MemberActor(worker))
    assert not JobFairSignUp.objects.exists()


def test_signing_up_twice_is_refused_with_one_row_kept(tree, worker):
    offered = fair(tree.wuxing)
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    with pytest.raises(ValidationError, match="您已报名“八里店春风招聘会”，无需重复报名"):
        services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    assert offered.sign_ups.count() == 1


def test_the_database_refuses_a_second_row_in_chinese(tree, worker):
    # The constraint behind the service's check: a row written around the service is refused
    # by full_clean() with the same plain words.
    offered = fair(tree.wuxing)
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    again = JobFairSignUp(fair=offered, member=worker, union=worker.union)
    with pytest.raises(ValidationError, match="您已报名该招聘会"):
        again.full_clean()


def test_a_full_fair_refuses_the_next_member(tree, worker):
    offered = fair(tree.wuxing, capacity=1)
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    late = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValidationError, match="报名名额（1人）已满"):
        services.job_fair_sign_up(fair=offered, by=MemberActor(late))
    assert not JobFairSignUp.objects.filter(member=late).exists()


def test_a_fair_of_another_district_is_refused(tree):
    elsewhere = fair(tree.nanxun, title="南浔招聘会")
    outsider = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValidationError, match="不在您可报名的范围内"):
        services.job_fair_sign_up(fair=elsewhere, by=MemberActor(outsider))
    assert not JobFairSignUp.objects.exists()


def test_a_member_who_has_left_cannot_sign_up(tree, worker):
    Member.objects.filter(pk=worker.pk).update(
        status=Member.Status.LEFT, left_on=timezone.localdate()
    )
    worker.refresh_from_db()
    with pytest.raises(ValidationError, match="您当前不在会"):
        services.job_fair_sign_up(fair=fair(tree.wuxing), by=MemberActor(worker))
    assert not JobFairSignUp.objects.exists()


def test_only_a_member_signs_themselves_up(tree, staff):
    offered = fair(tree.wuxing)
    for actor in (staff["district_admin"], SYSTEM):
        with pytest.raises(PermissionDenied):
            services.job_fair_sign_up(fair=offered, by=actor)
    assert not JobFairSignUp.objects.exists()


def test_staff_cannot_set_fewer_places_than_sign_ups(tree, staff, worker):
    offered = fair(tree.wuxing, capacity=5)
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    services.job_fair_sign_up(fair=offered, by=MemberActor(MemberFactory(union=tree.zhili)))
    with pytest.raises(ValidationError, match="已有2人报名，名额不能少于2"):
        services.job_fair_update(fair=offered, data={"capacity": 1}, by=staff["district_admin"])
    with pytest.raises(ValidationError, match="报名名额至少为1"):
        services.job_fair_update(fair=offered, data={"capacity": 0}, by=staff["district_admin"])
    offered.refresh_from_db()
    assert offered.capacity == 5


@pytest.mark.django_db(transaction=True)
def test_two_members_taking_the_last_place_at_once_get_one_place(tree):
    # given: one place
    offered = fair(tree.wuxing, capacity=1)
    first = MemberFactory(union=tree.zhili_factory)
    second = MemberFactory(union=tree.balidian_factory)

    def sign_up(member):
        return lambda: services.job_fair_sign_up(fair=offered, by=MemberActor(member))

    # when: the second arrives while the first is about to write its row, holding the fair's
    # lock (without it, the second would count no sign-up and insert too)
    results = race(sign_up(first), sign_up(second), at=INSERT_SIGN_UP)
    # then
    assert isinstance(results[0], JobFairSignUp), results
    assert isinstance(results[1], ValidationError), results
    assert "报名名额（1人）已满" in str(results[1])
    assert JobFairSignUp.objects.filter(fair=offered).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_makes_one_row_and_a_plain_answer(tree):
    # given: a fair without a limit
    offered = fair(tree.wuxing)
    member = MemberFactory(union=tree.zhili_factory)

    def tap():
        return services.job_fair_sign_up(fair=offered, by=MemberActor(member))

    # when: the second tap arrives while the first holds the fair's lock (without it, the
    # second would find no row and hit the unique constraint: an IntegrityError, a 500)
    results = race(tap, tap, at=INSERT_SIGN_UP)
    # then
    assert isinstance(results[0], JobFairSignUp), results
    assert isinstance(results[1], ValidationError), results
    assert "无需重复报名" in str(results[1])
    assert JobFairSignUp.objects.filter(fair=offered).count() == 1


# --- the portal page ------------------------------------------------------------------------------


def test_a_member_signs_up_for_a_fair_from_the_phone(client, tree, worker):
    offered = fair(tree.balidian, capacity=30)
    signed_in(client, worker)
    page = client.get(PAGE).content.decode()
    assert "八里店春风招聘会" in page and f'name="fair" value="{offered.pk}"' in page
    assert "剩余名额 30 个" in page
    # when
    response = client.post(PAGE, {"fair": offered.pk}, follow=True)
    # then
    assert "已报名“八里店春风招聘会”，请按时到场" in response.content.decode()
    assert JobFairSignUp.objects.get().member == worker
    page = client.get(PAGE).content.decode()
    assert f'name="fair" value="{offered.pk}"' not in page
    assert "我报名的招聘会" in page and page.count("八里店春风招聘会") == 2


def test_a_walk_in_fair_shows_no_button(client, tree, worker):
    walk_in = fair(tree.wuxing, sign_up_open=False, title="现场招聘会")
    signed_in(client, worker)
    page = client.get(PAGE).content.decode()
    assert "现场招聘会" in page and "无需报名，当天直接到现场" in page
    assert f'name="fair" value="{walk_in.pk}"' not in page
    # and a forged post naming it is a 404, like any fair not offered
    assert client.post(PAGE, {"fair": walk_in.pk}).status_code == 404
    assert not JobFairSignUp.objects.exists()


def test_fairs_not_offered_to_the_member_are_404_on_the_page(client, tree, worker):
    others = [fair(tree.nanxun, title="南浔招聘会"), fair(tree.wuxing, days=-3, title="旧的")]
    signed_in(client, worker)
    for other in others:
        assert client.post(PAGE, {"fair": other.pk}).status_code == 404
    assert client.post(PAGE, {"fair": "not-a-number"}).status_code == 404
    assert not JobFairSignUp.objects.exists()


def test_a_full_fair_says_so_on_the_page(client, tree, worker):
    offered = fair(tree.wuxing, capacity=1)
    services.job_fair_sign_up(fair=offered, by=MemberActor(MemberFactory(union=tree.zhili_factory)))
    signed_in(client, worker)
    assert "名额已满" in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"fair": offered.pk}, follow=True)
    assert "报名名额（1人）已满" in response.content.decode()
    assert not JobFairSignUp.objects.filter(member=worker).exists()


def test_signing_up_for_a_fair_needs_a_signed_in_member(client, tree):
    offered = fair(tree.wuxing)
    response = client.post(PAGE, {"fair": offered.pk})
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]
    assert not JobFairSignUp.objects.exists()


# --- the member API ------------------------------------------------------------------------------


def test_a_member_signs_up_for_a_fair_through_the_api(tree, worker):
    offered = fair(tree.balidian, capacity=2)
    client = api_client(worker)
    listed = client.get("/api/v1/me/jobs/").json()
    assert listed["fairs"][0]["places_left"] == 2 and listed["fairs"][0]["signed_up"] is False
    # when
    response = client.post(API, {"fair": offered.pk}, format="json")
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["fair"] == offered.pk
    listed = client.get("/api/v1/me/jobs/").json()
    assert listed["fairs"][0]["signed_up"] is True and listed["fairs"][0]["places_left"] == 1
    assert [s["fair"] for s in listed["fair_sign_ups"]] == [offered.pk]


def test_the_api_answers_404_for_a_fair_not_offered(tree, worker):
    elsewhere = fair(tree.nanxun, title="南浔招聘会")
    response = api_client(worker).post(API, {"fair": elsewhere.pk}, format="json")
    assert response.status_code == 404 and "没有找到可报名的招聘会" in response.json()["detail"]
    assert not JobFairSignUp.objects.exists()


def test_the_api_refuses_a_second_sign_up_in_chinese(tree, worker):
    offered = fair(tree.wuxing)
    client = api_client(worker)
    client.post(API, {"fair": offered.pk}, format="json")
    response = client.post(API, {"fair": offered.pk}, format="json")
    assert response.status_code == 400 and "无需重复报名" in str(response.json())
    assert JobFairSignUp.objects.count() == 1


def test_the_api_refuses_a_bad_input_and_a_staff_token(tree, staff):
    offered = fair(tree.wuxing)
    member = MemberFactory(union=tree.zhili_factory)
    bad = api_client(member).post(API, {"fair": "abc"}, format="json")
    assert bad.status_code == 400 and "fair" in bad.json()
    _token, key = token_issue(user=staff["city_admin"])
    as_staff = APIClient()
    as_staff.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert as_staff.post(API, {"fair": offered.pk}, format="json").status_code in (401, 403)
    assert not JobFairSignUp.objects.exists()


def test_another_members_sign_ups_are_not_listed(tree, worker):
    offered = fair(tree.wuxing)
    api_client(worker).post(API, {"fair": offered.pk}, format="json")
    other = MemberFactory(union=tree.zhili_factory)
    listed = api_client(other).get("/api/v1/me/jobs/").json()
    assert listed["fair_sign_ups"] == [] and listed["fairs"][0]["signed_up"] is False


# --- the staff admin -----------------------------------------------------------------------------


def test_the_organisers_clerk_reads_the_sign_ups_on_the_fair(client, tree, staff, worker):
    offered = fair(tree.wuxing, title="吴兴区春季招聘会")
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    client.force_login(staff["district_admin"])
    page = client.get(reverse("admin:welfare_jobfair_change", args=[offered.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "网上报名" in html and "钱骑手" in html and "139****7001" in html
    # read-only: no form field for a sign-up row, no "add another"
    assert 'name="sign_ups-0-member"' not in html
    listing = client.get(reverse("admin:welfare_jobfair_changelist")).content.decode()
    assert "吴兴区春季招聘会" in listing


def test_a_clerk_of_another_district_does_not_see_the_fair_or_its_sign_ups(
    client, tree, staff, worker
):
    offered = fair(tree.wuxing, title="吴兴区春季招聘会")
    services.job_fair_sign_up(fair=offered, by=MemberActor(worker))
    client.force_login(staff["nanxun_admin"])
    # when: the other district's clerk opens the fair by its id
    page = client.get(reverse("admin:welfare_jobfair_change", args=[offered.pk]), follow=True)
    # then: answered like a fair that does not exist, naming nobody
    html = page.content.decode()
    assert "钱骑手" not in html and "吴兴区春季招聘会" not in html
    assert page.redirect_chain and page.redirect_chain[-1][0] == reverse("admin:index")
    listing = client.get(reverse("admin:welfare_jobfair_changelist")).content.decode()
    assert "吴兴区春季招聘会" not in listing


def test_staff_may_read_but_never_write_sign_ups(staff):
    for role in ("district_admin", "township_admin", "grassroots_admin"):
        user = staff[role]
        assert user.has_perm("welfare.view_jobfairsignup"), role
        assert not user.has_perm("welfare.add_jobfairsignup"), role
        assert not user.has_perm("welfare.change_jobfairsignup"), role
