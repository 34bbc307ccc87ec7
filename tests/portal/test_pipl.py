"""My personal information: I see what the union holds about me (masked), download it only after
a fresh SMS code, ask for a correction that reaches my union's admins (and only theirs), and see
who viewed my full ID number by union and role, never by username."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from members import services as member_services
from members.models import IdNumberAccess
from portal import pipl
from portal.models import CorrectionRequest, MemberNotice
from tests.factories import MemberFactory
from tests.portal.helpers import last_code, signed_in
from welfare.models import Concern

pytestmark = pytest.mark.django_db
DATA = "/portal/me/data/"
DOWNLOAD = "/portal/me/data/download/"


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory, phone="13912340002", name="张工")


def test_my_data_page_shows_my_records_masked_and_nobody_elses(client, tree, me):
    other = MemberFactory(union=tree.zhili_factory, name="别人")
    signed_in(client, me)
    page = client.get(DATA).content.decode()
    assert me.id_number_masked in page and "张工" in page
    assert "别人" not in page and other.id_number_masked not in page


def test_the_download_asks_for_a_fresh_code_first(client, me):
    signed_in(client, me)

    # when: no fresh code, the download sends to the confirm page
    first = client.get(DOWNLOAD)
    assert first.status_code == 302 and first["Location"].startswith("/portal/confirm/")

    # when: a code is sent to the registered phone and entered
    client.post("/portal/confirm/", {"action": "send", "next": DOWNLOAD})
    back = client.post(
        "/portal/confirm/", {"action": "verify", "code": last_code(me.phone), "next": DOWNLOAD}
    )
    assert back["Location"] == DOWNLOAD

    # then
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["会员登记信息"][0]["姓名"] == "张工"
    text = response.content.decode()
    assert me.id_number_encrypted not in text and me.id_number_hash not in text


def test_a_wrong_fresh_code_does_not_open_the_download(client, me):
    signed_in(client, me)
    client.post("/portal/confirm/", {"action": "send", "next": DOWNLOAD})
    client.post("/portal/confirm/", {"action": "verify", "code": "000000", "next": DOWNLOAD})
    assert client.get(DOWNLOAD).status_code == 302


def test_a_correction_request_reaches_my_unions_admins_only(client, tree, staff, me):
    signed_in(client, me)
    client.post(DATA, {"item": "工作单位", "body": "应为织里童装厂二车间"})
    correction = CorrectionRequest.objects.get()
    assert (correction.member, correction.union) == (me, tree.zhili_factory)

    factory_admin = staff["grassroots_admin"]
    # an admin of another part of the tree is refused, nothing changes
    from tests.factories import make_staff

    outsider = make_staff(tree.shuanglin, "township_admin", "shuanglin")
    with pytest.raises(PermissionDenied):
        pipl.correction_request_resolve(correction=correction, resolution="已改", by=outsider)
    correction.refresh_from_db()
    assert correction.state == "open"

    # the member's own union resolves it, and the member is told
    pipl.correction_request_resolve(correction=correction, resolution="已更正", by=factory_admin)
    correction.refresh_from_db()
    assert (correction.state, correction.resolution) == ("resolved", "已更正")
    assert MemberNotice.objects.filter(person_hash=me.id_number_hash).count() == 1


def test_the_admin_queue_lists_only_requests_in_the_admins_tree(client, tree, staff, me):
    elsewhere = MemberFactory(union=tree.shuanglin_factory)
    from members.actors import MemberActor

    pipl.correction_request_submit(by=MemberActor(me), item="姓名", body="张工")
    pipl.correction_request_submit(by=MemberActor(elsewhere), item="姓名", body="李工")
    client.force_login(staff["township_admin"])
    page = client.get("/admin/portal/correctionrequest/").content.decode()
    assert page.count("/admin/portal/correctionrequest/") >= 1
    assert str(me) in page and str(elsewhere) not in page


def test_i_see_who_viewed_my_full_id_by_union_and_role_not_username(client, tree, staff, me):
    viewer = staff["district_admin"]
    viewer.user_permissions.add(Permission.objects.get(codename="reveal_id_number"))
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a fresh permission cache
    member_services.id_number_reveal(member=me, viewer=viewer, channel=IdNumberAccess.Channel.ADMIN)
    views = pipl.id_number_views(member=me)
    assert [(v.union, v.role) for v in views] == [("吴兴区总工会", "区县管理员")]
    signed_in(client, me)
    page = client.get(DATA).content.decode()
    assert "吴兴区总工会" in page and viewer.username not in page


def test_personal_data_holds_my_concerns_and_not_staff_usernames(tree, staff, me):
    from members.actors import MemberActor
    from welfare import services as welfare_services

    concern = welfare_services.concern_raise(by=MemberActor(me), subject="食堂", body="太贵")
    welfare_services.concern_answer(concern=concern, answer="已降价", by=staff["city_admin"])
    data = pipl.personal_data(member=me)
    assert data["职工心声"][0]["回声（答复）"] == "已降价"
    assert Concern.objects.count() == 1
    assert staff["city_admin"].username not in json.dumps(data, ensure_ascii=False, default=str)
