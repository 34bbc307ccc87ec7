"""`rotate_id_keys` moves every ciphertext under the ID key ring (members', join applicants' ID
numbers, bank card numbers), so the old key can leave MEMBER_ID_KEYS; and with --old-hash-key
every row that names a person by the hash (portal account, consents, notices, copies of their
data, bank cards, tokens) follows the person to the new hash in the same transaction."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.test import override_settings

from members import crypto
from members.actors import MemberActor
from members.management.commands.rotate_id_keys import Command as RotateCommand
from members.models import AccessToken, Member
from members.tokens import token_issue
from portal import services as portal
from portal.models import (
    Consent,
    JoinApplication,
    MemberNotice,
    PersonalDataExport,
    PortalAccount,
)
from portal.notify import person_notify
from portal.pipl import personal_data_export_record
from tests.factories import MemberFactory, make_id_number
from welfare import services as welfare
from welfare.models import BankCard

pytestmark = pytest.mark.django_db

CARD = "6222021202001234567"
PHONE = "13912345678"


def rotate(old_hash_key: str | None = None, batch_size: int = 2) -> str:
    out = StringIO()
    RotateCommand(stdout=out).handle(batch_size=batch_size, old_hash_key=old_hash_key)
    return out.getvalue()


@pytest.fixture
def person(tree):
    """A member with a portal account bound on a device, a medical consent, a notice, a copy of
    their data and a bank card; an applicant who is no member yet; all under key 1 (dev)."""
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number, phone=PHONE)
    account = portal.account_for(member)
    device_key = portal.new_device_key()
    portal.device_sign_in(account=account, device_key=device_key)
    consent = portal.consent_record(
        notice=Consent.Notice.MEDICAL_RECEIPTS,
        version="2026-01",
        phone=PHONE,
        person_hash=member.id_number_hash,
    )
    notice = person_notify(person_hash=member.id_number_hash, phone=PHONE, text="您的申请已受理")
    export = personal_data_export_record(member=member, file_format="json", channel="web")
    card = welfare.bank_card_set(by=MemberActor(member), bank_name="工商银行", card_number=CARD)
    applicant_number = make_id_number()
    application = portal.join_apply(
        phone="13912340000",
        name="王骑手",
        id_number=applicant_number,
        township=tree.zhili,
        employment_form=Member.EmploymentForm.FOOD_DELIVERY,
        consent=portal.consent_record(
            notice=Consent.Notice.JOIN_ID_NUMBER,
            version=portal.JOIN_NOTICE_VERSION,
            phone="13912340000",
        ),
    )
    return {
        "number": number,
        "member": member,
        "account": account,
        "device_key": device_key,
        "consent": consent,
        "notice": notice,
        "export": export,
        "card": card,
        "applicant_number": applicant_number,
        "application": application,
    }


def key_id(token: str) -> str:
    return crypto.token_key_id(token)


def test_every_ciphertext_reads_after_the_old_key_is_retired(person, settings):
    # given: a second member (batches of 2 go over three rows), all under key 1
    MemberFactory(union=person["member"].union)
    old_key = key_id(person["member"].id_number_encrypted)
    new_key = crypto.new_key("k2")

    # when: key 2 goes first and the rotation runs
    with override_settings(MEMBER_ID_KEYS=[new_key, *settings.MEMBER_ID_KEYS]):
        out = rotate()

    # then: with key 2 alone, the member's and the applicant's numbers and the card number read
    assert "已重新加密 3 条公民身份号码、1 张银行卡号" in out
    with override_settings(MEMBER_ID_KEYS=[new_key]):
        member = Member.objects.get(pk=person["member"].pk)
        assert key_id(member.id_number_encrypted) == "k2" != old_key
        assert crypto.decrypt_id_number(member.id_number_encrypted) == person["number"]
        application = JoinApplication.objects.get(pk=person["application"].pk)
        assert (
            crypto.decrypt_id_number(application.id_number_encrypted)
            == (person["applicant_number"])
        )
        card = BankCard.objects.get(pk=person["card"].pk)
        assert key_id(card.card_number_encrypted) == "k2"
        assert welfare.bank_card_number(card) == CARD
        # the history rows hold no ciphertext at all, so nothing there needs the old key
        history = Member.history.filter(id=member.pk).values()
        assert history and all("id_number_encrypted" not in row for row in history)


def test_without_the_rotation_the_retired_key_would_lock_the_card_out(person, settings):
    with (
        override_settings(MEMBER_ID_KEYS=[crypto.new_key("k2")]),
        pytest.raises(ImproperlyConfigured),
    ):
        welfare.bank_card_number(BankCard.objects.get(pk=person["card"].pk))


def test_a_second_rotation_rewrites_no_card(person, settings):
    new_key = crypto.new_key("k2")
    with override_settings(MEMBER_ID_KEYS=[new_key, *settings.MEMBER_ID_KEYS]):
        rotate()
        before = BankCard.objects.get().card_number_encrypted
        out = rotate()
    assert "0 张银行卡号" in out
    assert BankCard.objects.get().card_number_encrypted == before


def test_after_a_hash_rotation_the_persons_records_still_belong_to_them(person, settings):
    # given: a member token issued under the old hash
    member = person["member"]
    token, _key = token_issue(member_id_hash=member.id_number_hash)
    old_hash_key = settings.MEMBER_ID_HASH_KEY
    new_hash_key = crypto.new_hash_key("hmac-sm3")

    # when: the hash key changes and the rotation runs
    with override_settings(MEMBER_ID_HASH_KEY=new_hash_key):
        out = rotate(old_hash_key)

        # then: the member is found by the new hash, and so is everything of theirs
        new_hash = crypto.hash_id_number(person["number"])
        member.refresh_from_db()
        assert member.id_number_hash == new_hash != person["account"].person_hash
        # the portal's own sign-in paths find the account they had, not a new one
        assert (
            portal.device_account_for_phone(device_key=person["device_key"], phone=PHONE)
            == person["account"]
        )
        assert portal.account_for(member) == person["account"]
        assert PortalAccount.objects.count() == 1
        assert (
            portal.consent_current(
                person_hash=member.id_number_hash,
                notice=Consent.Notice.MEDICAL_RECEIPTS,
                version="2026-01",
            )
            == person["consent"]
        )
        assert welfare.bank_card_current(member=member) == person["card"]
        assert list(MemberNotice.objects.filter(person_hash=new_hash)) == [person["notice"]]
        assert list(PersonalDataExport.objects.filter(person_hash=new_hash)) == [person["export"]]
        # the applicant's hash is recomputed from their own number, their consent follows
        application = JoinApplication.objects.get(pk=person["application"].pk)
        applicant_hash = crypto.hash_id_number(person["applicant_number"])
        assert application.id_number_hash == applicant_hash
        assert Consent.objects.get(pk=application.consent_id).person_hash == applicant_hash
    # the member token follows too, and is ended (it was signed in under the old key)
    token.refresh_from_db()
    assert token.member_id_hash == new_hash and token.revoked_at is not None
    assert "按身份摘要关联的记录已全部改用新摘要" in out


def test_rows_that_match_nobody_are_counted_and_keep_their_hash(person, settings):
    # given: a notice for a hash that is no member's and no applicant's (its person is unknown)
    orphan = person_notify(person_hash="e" * 64, phone=PHONE, text="旧消息")
    old_hash_key = settings.MEMBER_ID_HASH_KEY

    # when
    with override_settings(MEMBER_ID_HASH_KEY=crypto.new_hash_key()):
        out = rotate(old_hash_key)

    # then: said in the output; everything else moved
    assert "无法用新密钥重算" in out and "会员消息1条" in out
    orphan.refresh_from_db()
    assert orphan.person_hash == "e" * 64


def test_a_wrong_old_hash_key_leaves_every_persons_record_as_it_was(person, settings):
    tables = [PortalAccount, Consent, MemberNotice, PersonalDataExport, BankCard, AccessToken]

    def snapshot():
        rows = {m.__name__: sorted(map(str, m.objects.values_list())) for m in tables}
        rows["members"] = sorted(Member.objects.values_list("id_number_hash", flat=True))
        rows["applications"] = sorted(
            JoinApplication.objects.values_list("id_number_hash", "id_number_encrypted")
        )
        return rows

    before = snapshot()
    with (
        override_settings(
            MEMBER_ID_KEYS=[crypto.new_key("k2"), *settings.MEMBER_ID_KEYS],
            MEMBER_ID_HASH_KEY=crypto.new_hash_key(),
        ),
        pytest.raises(CommandError, match="已全部回滚"),
    ):
        rotate("not-the-old-hash-key")
    assert snapshot() == before


def test_an_applicant_hash_the_old_key_did_not_make_rolls_back_the_members_too(person, settings):
    # given: the members are fine, the application's hash is not under the old key
    JoinApplication.objects.update(id_number_hash="f" * 64)
    old_hash_key = settings.MEMBER_ID_HASH_KEY
    member_hash = person["member"].id_number_hash

    # when / then
    with (
        override_settings(MEMBER_ID_HASH_KEY=crypto.new_hash_key()),
        pytest.raises(CommandError, match="入会申请"),
    ):
        rotate(old_hash_key)
    assert Member.objects.get(pk=person["member"].pk).id_number_hash == member_hash
    assert PortalAccount.objects.get().person_hash == member_hash
