"""Retention (issue 16) de-identifies a person who left long ago everywhere their ID hash keys a
row, not only in the registry: the portal's account, devices and messages go, their consents,
data copies and decided join applications stay under the person's token with the personal parts
emptied, their member tokens follow; no row keeps the hash that leads back to the number."""

import pytest

from common import retention
from common.retention import DEIDENTIFIED_NAME, DEIDENTIFIED_TEXT, deidentify_expired
from members.models import AccessToken, Member
from members.tokens import token_issue
from portal import retention as portal_retention
from portal import services as portal
from portal.models import (
    Consent,
    JoinApplication,
    MemberNotice,
    PersonalDataExport,
    PortalAccount,
    PortalDevice,
)
from portal.notify import person_notify
from portal.pipl import personal_data_export_record
from tests.common.retention_helpers import TODAY
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PERSON_TABLES = [
    (PortalAccount, "person_hash"),
    (Consent, "person_hash"),
    (MemberNotice, "person_hash"),
    (PersonalDataExport, "person_hash"),
    (JoinApplication, "id_number_hash"),
    (AccessToken, "member_id_hash"),
]


def portal_rows(member: Member, tree, *, refused: bool) -> dict:
    """What the portal keeps of `member`'s person: an account on a device, a consent, a message,
    a copy of their data, a member token, and a join application (refused, or still pending)."""
    account = PortalAccount.objects.create(person_hash=member.id_number_hash)
    portal.device_sign_in(account=account, device_key=portal.new_device_key())
    join_consent = portal.consent_record(
        notice=Consent.Notice.JOIN_ID_NUMBER,
        version=portal.JOIN_NOTICE_VERSION,
        phone=member.phone,
        person_hash=member.id_number_hash,
    )
    application = JoinApplication.objects.create(
        name=member.name,
        id_number_encrypted=member.id_number_encrypted,
        id_number_hash=member.id_number_hash,
        id_number_masked=member.id_number_masked,
        phone=member.phone,
        employer="织里某童装厂",
        employment_form=Member.EmploymentForm.COURIER,
        township=tree.zhili,
        union=tree.zhili_factory,
        consent=join_consent,
        submitted_at=retention.start_of(TODAY),
    )
    if refused:
        JoinApplication.objects.filter(pk=application.pk).update(
            state=JoinApplication.State.REFUSED,
            refusal_reason="所填单位与社保记录不符（王某某）",
            decided_by=make_staff(tree.zhili, "township_admin", f"reviewer{member.pk}"),
        )
    token, _key = token_issue(member_id_hash=member.id_number_hash)
    return {
        "account": account,
        "consent": join_consent,
        "notice": person_notify(person_hash=member.id_number_hash, phone=member.phone, text="通知"),
        "export": personal_data_export_record(member=member, file_format="json", channel="web"),
        "application": application,
        "token": token,
    }


def holding(value: str) -> list[str]:
    return [
        model.__name__
        for model, column in PERSON_TABLES
        if model.objects.filter(**{column: value}).exists()
    ]


def test_no_portal_row_keeps_the_hash_of_a_de_identified_person(tree, people):
    # given: portal rows of the courier who left twice, and of an active member
    first = people["first"]
    old_hash = first.id_number_hash
    gone = portal_rows(first, tree, refused=True)
    active_account = PortalAccount.objects.create(person_hash=people["active"].id_number_hash)

    # when
    report = deidentify_expired(today=TODAY)

    # then: nothing anywhere holds the old hash any more
    token = Member.objects.get(pk=first.pk).id_number_hash
    assert token.startswith("deid:")
    assert holding(old_hash) == []
    # what served only the person is gone, devices with the account
    assert not PortalAccount.objects.filter(pk=gone["account"].pk).exists()
    assert not PortalDevice.objects.filter(account_id=gone["account"].pk).exists()
    assert not MemberNotice.objects.filter(pk=gone["notice"].pk).exists()
    # what is evidence stays, under the person's token, without the phone, name or number
    consent = Consent.objects.get(pk=gone["consent"].pk)
    assert (consent.person_hash, consent.phone) == (token, "")
    assert PersonalDataExport.objects.get(pk=gone["export"].pk).person_hash == token
    application = JoinApplication.objects.get(pk=gone["application"].pk)
    assert application.id_number_hash == token
    assert (application.id_number_encrypted, application.id_number_masked) == ("", "")
    assert (application.name, application.phone, application.employer) == (
        DEIDENTIFIED_NAME,
        "",
        "",
    )
    assert application.refusal_reason == DEIDENTIFIED_TEXT
    assert (application.state, application.union_id) == (
        JoinApplication.State.REFUSED,
        tree.zhili_factory.pk,
    )
    member_token = AccessToken.objects.get(pk=gone["token"].pk)
    assert member_token.member_id_hash == token and member_token.revoked_at is not None
    # the active member's account is not touched
    assert PortalAccount.objects.get(pk=active_account.pk).person_hash == (
        people["active"].id_number_hash
    )
    assert report.swept["已注销会员的会员服务账号"] == 1
    assert report.swept["已注销会员的登录设备"] == 1
    assert report.swept["已注销会员的入会申请（去标识化）"] == 1
    assert "已注销会员的会员消息1条" in report.summary()


def test_a_person_asking_to_come_back_keeps_their_portal_rows(tree, people):
    # given: the person who left long ago has a join application pending
    other = people["other"]
    rows = portal_rows(other, tree, refused=False)

    # when
    deidentify_expired(today=TODAY)

    # then: the registry row is de-identified, the live application and its rows are not
    assert Member.objects.get(pk=other.pk).deidentified_on == TODAY
    application = JoinApplication.objects.get(pk=rows["application"].pk)
    assert application.id_number_hash == other.id_number_hash
    assert application.id_number_encrypted == other.id_number_encrypted
    assert Consent.objects.get(pk=rows["consent"].pk).person_hash == other.id_number_hash
    assert PortalAccount.objects.filter(pk=rows["account"].pk).exists()


def test_a_dry_run_leaves_the_portal_rows_and_a_second_run_finds_nothing(tree, people):
    first = people["first"]
    portal_rows(first, tree, refused=True)
    before = holding(first.id_number_hash)

    dry = deidentify_expired(today=TODAY, dry_run=True)
    assert dry.swept["已注销会员的会员服务账号"] == 1
    assert holding(first.id_number_hash) == before

    deidentify_expired(today=TODAY)
    again = deidentify_expired(today=TODAY)
    assert not again.anything


def test_the_portal_plugs_its_person_hook_in_once():
    assert retention._person_hooks.count(portal_retention.persons) == 1
    retention.register_person_hook(portal_retention.persons)
    assert retention._person_hooks.count(portal_retention.persons) == 1


def test_a_rejoined_person_keeps_their_account(tree, people):
    # given: the person who left in 2016 and rejoined in 2021 has an account
    account = PortalAccount.objects.create(person_hash=people["rejoined"].id_number_hash)
    deidentify_expired(today=TODAY)
    assert PortalAccount.objects.filter(pk=account.pk).exists()
