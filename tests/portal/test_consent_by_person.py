"""Consent is the person's, not the phone number's (PIPL art. 14, 29): a member who changes their
number keeps the consent they gave, the number's next holder does not inherit it, and a join
consent becomes the applicant's once they give their ID number. The migration that keyed the
existing consents moves them to their people and leaves a shared phone's consent unassigned."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from members.models import Member
from portal import services
from portal.models import Consent
from portal.views_services import MEDICAL_NOTICE_VERSION
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import fresh_code, signed_in
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory

pytestmark = pytest.mark.django_db
URL = "/portal/services/claims/new/"
OLD, NEW = "13912340031", "13912340032"


@pytest.fixture
def enrolled(tree):
    line = LineFactory(plan=PlanFactory(union=tree.city, year=timezone.localdate().year))
    member = MemberFactory(union=tree.zhili_factory, phone=OLD)
    EnrolmentFactory(member=member, union=member.union, line=line)
    return member


def _asks_for_consent(client, member) -> bool:
    client.cookies.clear()
    signed_in(client, member)
    fresh_code(client, member)
    return "医疗健康信息处理告知" in client.get(URL).content.decode()


def test_the_medical_consent_is_recorded_for_the_person(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)
    client.post(URL, {"action": "consent", "agree": "on"})
    consent = Consent.objects.get(notice=Consent.Notice.MEDICAL_RECEIPTS)
    assert consent.person_hash == enrolled.id_number_hash
    assert consent.phone == OLD  # the number it was given from, as evidence


def test_a_new_phone_number_keeps_the_consent(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)
    client.post(URL, {"action": "consent", "agree": "on"})
    # when: the registry's number changes
    Member.objects.filter(pk=enrolled.pk).update(phone=NEW)
    enrolled.refresh_from_db()
    # then: no second notice to agree to
    assert not _asks_for_consent(client, enrolled)


def test_the_next_holder_of_a_number_does_not_inherit_the_consent(client, tree, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)
    client.post(URL, {"action": "consent", "agree": "on"})
    Member.objects.filter(pk=enrolled.pk).update(phone=NEW)
    # given: the old number now belongs to someone else, also covered by the plan
    stranger = MemberFactory(union=tree.zhili_factory, phone=OLD)
    EnrolmentFactory(member=stranger, union=stranger.union, line=enrolled.enrolments.get().line)
    # then: they are asked for their own consent
    assert _asks_for_consent(client, stranger)


def test_a_join_consent_becomes_the_applicants_when_they_apply(tree):
    consent = services.consent_record(
        notice=Consent.Notice.JOIN_ID_NUMBER, version=services.JOIN_NOTICE_VERSION, phone=OLD
    )
    assert consent.person_hash == ""
    application = services.join_apply(
        phone=OLD,
        name="王骑手",
        id_number=make_id_number(),
        township=tree.zhili,
        employment_form="food_delivery",
        consent=consent,
    )
    consent.refresh_from_db()
    assert consent.person_hash == application.id_number_hash


def test_a_consent_other_than_the_join_notice_must_name_the_person():
    with pytest.raises(ValueError):
        services.consent_record(
            notice=Consent.Notice.MEDICAL_RECEIPTS, version=MEDICAL_NOTICE_VERSION, phone=OLD
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_consents_to_their_people_and_back(tree):
    before = [("portal", "0003_merge_medical_receipts_and_corrections")]
    after = [("portal", "0004_consent_keyed_by_person")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("portal")
    alone = MemberFactory(union=tree.zhili_factory, phone="13912340041")
    MemberFactory(union=tree.zhili_factory, phone="13912340042")  # a shared number:
    MemberFactory(union=tree.zhili_factory, phone="13912340042")  # two people
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("portal", "Consent")
        now = timezone.now()
        medical = {"notice": "medical_receipts", "version": "v1", "consented_at": now}
        mine = old.objects.create(phone="13912340041", **medical).pk
        shared = old.objects.create(phone="13912340042", **medical).pk

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("portal", "Consent")
        assert new.objects.get(pk=mine).person_hash == alone.id_number_hash
        assert new.objects.get(pk=shared).person_hash == ""

        # reversible: back to the phone-keyed table, nothing lost
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = executor.loader.project_state(before).apps.get_model("portal", "Consent")
        assert set(back.objects.values_list("phone", flat=True)) == {"13912340041", "13912340042"}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
