"""网上入会: a proved phone, a separate consent before the ID number, an application routed to the
township's joint union, decided in the admin; approval creates the member through members.services
and an ID active elsewhere is refused without naming the other union."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Member
from portal import services
from portal.models import Consent, JoinApplication
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
PHONE = "13912349999"
JOIN = reverse("portal:join")


def _consent():
    return services.consent_record(
        notice=Consent.Notice.JOIN_ID_NUMBER, version=services.JOIN_NOTICE_VERSION, phone=PHONE
    )


def _apply(tree, id_number=None, **extra):
    return services.join_apply(
        phone=PHONE,
        name="王骑手",
        id_number=id_number or make_id_number(),
        township=tree.zhili,
        employment_form=Member.EmploymentForm.FOOD_DELIVERY,
        consent=_consent(),
        **extra,
    )


def test_a_worker_applies_from_the_phone_with_consent_recorded_first(client, tree):
    # given: the phone proved by a code
    client.post(JOIN, {"action": "send", "phone": PHONE})
    client.post(JOIN, {"action": "verify", "code": last_code(PHONE)})
    page = client.get(JOIN).content.decode()
    assert "入会个人信息处理告知书" in page and "身份证号码" not in page.split("告知书")[0]

    # when: no consent ticked, the form is not offered
    refused = client.post(JOIN, {"action": "consent"})
    assert "需要您的同意" in refused.content.decode()
    assert not Consent.objects.exists()

    # when: consent, then the form
    client.post(JOIN, {"action": "consent", "agree": "on"})
    consent = Consent.objects.get()
    assert (consent.version, consent.phone) == (services.JOIN_NOTICE_VERSION, PHONE)
    response = client.post(
        JOIN,
        {
            "action": "apply",
            "name": "王骑手",
            "id_number": make_id_number(),
            "employment_form": "food_delivery",
            "township": tree.zhili.pk,
            "employer": "",
        },
    )

    # then: the application is in the joint union's queue and the worker sees its state
    assert response.status_code == 302
    application = JoinApplication.objects.get()
    assert application.union == tree.zhili_joint and application.consent == consent
    assert application.state == JoinApplication.State.PENDING
    assert "待审核" in client.get(JOIN).content.decode()


def test_approval_creates_the_member_through_the_registry(tree, staff):
    id_number = make_id_number()
    application = _apply(tree, id_number=id_number)

    services.join_approve(application=application, by=staff["township_admin"])

    application.refresh_from_db()
    member = application.member
    assert application.state == JoinApplication.State.APPROVED
    assert (member.name, member.union, member.phone, member.employment_form) == (
        "王骑手",
        tree.zhili_joint,
        PHONE,
        Member.EmploymentForm.FOOD_DELIVERY,
    )
    assert member.status == Member.Status.ACTIVE
    assert application.decided_by == staff["township_admin"]


def test_an_id_active_elsewhere_is_refused_without_naming_the_union(tree, staff):
    # given: applied, then enrolled elsewhere before the decision
    id_number = make_id_number()
    application = _apply(tree, id_number=id_number)
    MemberFactory(id_number=id_number, union=tree.shuanglin_factory)

    # when
    with pytest.raises(ValidationError) as exc:
        services.join_approve(application=application, by=staff["township_admin"])

    # then
    message = " ".join(exc.value.messages)
    assert "请办理会员关系转接" in message
    assert "双林" not in message and "南浔" not in message
    application.refresh_from_db()
    assert application.state == JoinApplication.State.PENDING
    assert Member.objects.filter(union=tree.zhili_joint).count() == 0


def test_an_active_member_applying_is_told_to_sign_in_not_where_they_belong(tree):
    id_number = make_id_number()
    MemberFactory(id_number=id_number, union=tree.shuanglin_factory)

    with pytest.raises(ValidationError) as exc:
        _apply(tree, id_number=id_number)

    assert "会员关系转接" in " ".join(exc.value.messages)
    assert "双林" not in " ".join(exc.value.messages)
    assert not JoinApplication.objects.exists()


def test_a_refusal_needs_a_reason_the_worker_sees(client, tree, staff):
    application = _apply(tree)

    with pytest.raises(ValidationError):
        services.join_refuse(application=application, reason=" ", by=staff["township_admin"])
    services.join_refuse(
        application=application, reason="请提供劳动关系证明", by=staff["township_admin"]
    )

    application.refresh_from_db()
    assert application.state == JoinApplication.State.REFUSED
    assert application.refusal_reason == "请提供劳动关系证明"


def test_admins_outside_the_township_cannot_decide(tree, staff):
    application = _apply(tree)

    with pytest.raises(PermissionDenied):
        services.join_approve(application=application, by=staff["nanxun_admin"])

    application.refresh_from_db()
    assert application.state == JoinApplication.State.PENDING


def test_the_admin_queue_is_scoped_and_approval_works_from_it(client, tree, staff):
    application = _apply(tree)
    url = reverse("admin:portal_joinapplication_change", args=[application.pk])

    client.force_login(staff["nanxun_admin"])
    assert (
        application.name
        not in client.get(reverse("admin:portal_joinapplication_changelist")).content.decode()
    )
    assert client.get(url).status_code == 302  # not found in their queue: back to the admin index

    client.force_login(staff["township_admin"])
    assert (
        application.name
        in client.get(reverse("admin:portal_joinapplication_changelist")).content.decode()
    )
    response = client.post(url, {"decision": "approve", "refusal_reason_text": ""})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:portal_joinapplication_changelist")
    application.refresh_from_db()
    assert application.state == JoinApplication.State.APPROVED


def test_a_second_pending_application_for_the_same_person_is_refused(tree):
    id_number = make_id_number()
    _apply(tree, id_number=id_number)

    with pytest.raises(ValidationError) as exc:
        _apply(tree, id_number=id_number)

    assert "待审核" in exc.value.messages[0]
    assert JoinApplication.objects.count() == 1
