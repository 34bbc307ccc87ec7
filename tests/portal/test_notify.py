"""Told when things move: an SMS with a link when a join application is decided or a concern is
answered, sent only after commit, and every message listed at /portal/messages/."""

import pytest
from django.db import transaction

from common import notices
from members.actors import MemberActor
from portal import services
from portal.models import Consent, MemberNotice, SmsMessage
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import signed_in
from welfare import services as welfare_services

pytestmark = pytest.mark.django_db
PHONE = "13912340004"


def _application(tree):
    consent = services.consent_record(
        notice=Consent.Notice.JOIN_ID_NUMBER, version=services.JOIN_NOTICE_VERSION, phone=PHONE
    )
    return services.join_apply(
        phone=PHONE,
        name="王骑手",
        id_number=make_id_number(),
        township=tree.zhili,
        employment_form="food_delivery",
        consent=consent,
    )


def test_an_approved_applicant_gets_an_sms_with_a_link(
    tree, staff, django_capture_on_commit_callbacks
):
    application = _application(tree)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_approve(application=application, by=staff["township_admin"])
    sms = SmsMessage.objects.get(phone=PHONE)
    assert "已批准" in sms.body and "/portal/" in sms.body
    assert MemberNotice.objects.get(phone=PHONE).delivered


def test_a_refused_applicant_is_told_the_reason(tree, staff, django_capture_on_commit_callbacks):
    application = _application(tree)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_refuse(application=application, reason="材料不全", by=staff["township_admin"])
    assert "材料不全" in SmsMessage.objects.get(phone=PHONE).body


def test_nothing_is_sent_when_the_change_rolls_back(tree):
    member = MemberFactory(union=tree.zhili_factory, phone=PHONE)
    with pytest.raises(RuntimeError), transaction.atomic():
        notices.tell(member, "测试", about="account")
        raise RuntimeError
    assert not SmsMessage.objects.filter(phone=PHONE).exists()
    assert not MemberNotice.objects.exists()


def test_an_answered_concern_tells_the_member_and_the_message_is_listed(
    client, tree, staff, django_capture_on_commit_callbacks
):
    member = MemberFactory(union=tree.zhili_factory, phone=PHONE)
    concern = welfare_services.concern_raise(by=MemberActor(member), subject="食堂", body="太贵")
    with django_capture_on_commit_callbacks(execute=True):
        welfare_services.concern_answer(
            concern=concern, answer="已降价", by=staff["township_admin"]
        )
    sms = SmsMessage.objects.get(phone=PHONE)
    assert f"/portal/me/voice/{concern.pk}/" in sms.body

    signed_in(client, member)
    page = client.get("/portal/messages/").content.decode()
    assert "已有答复" in page
    other = MemberFactory(union=tree.zhili_factory, phone="13912340005")
    client.cookies.clear()
    signed_in(client, other)
    assert "已有答复" not in client.get("/portal/messages/").content.decode()
