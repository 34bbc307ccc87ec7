"""A member whose phone changed binds the new number with name + full ID number + a code sent to
the new number; the registry's phone changes through members.services (in the record's history),
and the old number is told. A wrong name or number changes nothing."""

import pytest

from members import crypto
from portal.models import MemberNotice
from tests.factories import MemberFactory
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
URL = "/portal/phone-change/"
OLD, NEW = "13912340003", "13712345678"


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory, phone=OLD, name="周司机")


def _start(client, me, name="周司机", id_number=None):
    number = id_number or crypto.decrypt_id_number(me.id_number_encrypted)
    return client.post(URL, {"action": "send", "name": name, "id_number": number, "new_phone": NEW})


def test_a_member_binds_a_new_phone_and_the_change_is_in_the_history(client, me):
    # given: a code sent to the new number
    _start(client, me)
    assert last_code(NEW)

    # when
    response = client.post(URL, {"action": "verify", "code": last_code(NEW)})

    # then: the registry holds the new number, the history says who, the device is signed in
    assert response.status_code == 302 and response["Location"] == "/portal/"
    me.refresh_from_db()
    assert me.phone == NEW
    latest = me.history.order_by("-history_date").first()
    # recorded as the member's own change (members.history names a member actor this way)
    assert latest.phone == NEW and latest.history_change_reason == f"会员本人（会员ID {me.pk}）"
    assert "我参加的活动" in client.get("/portal/").content.decode()
    # the old number is told
    assert MemberNotice.objects.filter(phone=OLD, person_hash=me.id_number_hash).exists()


def test_a_wrong_name_changes_nothing(client, me):
    _start(client, me, name="别人")
    response = client.post(URL, {"action": "verify", "code": last_code(NEW)})
    assert "不一致" in response.content.decode()
    me.refresh_from_db()
    assert me.phone == OLD


def test_a_wrong_code_changes_nothing(client, me):
    _start(client, me)
    client.post(URL, {"action": "verify", "code": "000000"})
    me.refresh_from_db()
    assert me.phone == OLD
