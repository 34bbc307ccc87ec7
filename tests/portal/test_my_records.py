"""My records: a member reads only their own, whatever id is in the URL (404 otherwise), and acts
through the owning app's services as themselves."""

import pytest

from skills.models import CompetitionEntry
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in
from tests.skills.factories import CompetitionFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory
from welfare.models import Concern

pytestmark = pytest.mark.django_db


def test_another_members_claim_id_in_the_url_is_404(client, tree):
    me = MemberFactory(union=tree.zhili_factory)
    other = MemberFactory(union=tree.zhili_factory)
    mine = ClaimFactory(enrolment=EnrolmentFactory(member=me, union=me.union))
    theirs = ClaimFactory(enrolment=EnrolmentFactory(member=other, union=other.union))
    signed_in(client, me)

    assert client.get(f"/portal/me/claims/{mine.pk}/").status_code == 200
    assert client.get(f"/portal/me/claims/{theirs.pk}/").status_code == 404
    # and a withdrawal aimed at it changes nothing
    state = theirs.state
    assert client.post(f"/portal/me/claims/{theirs.pk}/", {"action": "withdraw"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == state


def test_another_members_concern_id_in_the_url_is_404(client, tree):
    me = MemberFactory(union=tree.zhili_factory)
    other = MemberFactory(union=tree.zhili_factory)
    signed_in(client, other)
    client.post("/portal/me/voice/", {"subject": "加班费", "body": "三月加班费未发。"})
    theirs = Concern.objects.get()
    client.cookies.clear()
    signed_in(client, me)

    response = client.get(f"/portal/me/voice/{theirs.pk}/")

    assert response.status_code == 404


def test_a_member_raises_a_concern_and_sees_its_deadline(client, tree):
    me = MemberFactory(union=tree.zhili_factory)
    signed_in(client, me)

    response = client.post("/portal/me/voice/", {"subject": "食堂", "body": "希望延长开放时间。"})

    concern = Concern.objects.get()
    assert (concern.member, concern.union, concern.channel) == (me, me.union, "portal")
    assert response["Location"] == f"/portal/me/voice/{concern.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "答复期限" in page and "食堂" in page


def test_a_member_enters_an_open_competition_once(client, tree):
    import datetime as dt

    from django.utils import timezone

    me = MemberFactory(union=tree.zhili_factory)
    today = timezone.localdate()
    competition = CompetitionFactory(
        union=tree.city, start_date=today, end_date=today + dt.timedelta(days=3)
    )
    signed_in(client, me)

    assert competition.name in client.get("/portal/me/competitions/").content.decode()
    client.post("/portal/me/competitions/", {"competition": competition.pk})
    second = client.post("/portal/me/competitions/", {"competition": competition.pk})

    assert list(CompetitionEntry.objects.values_list("member_id", flat=True)) == [me.pk]
    assert second.status_code == 404  # no longer open to this member


def test_pages_need_a_signed_in_member(client, tree):
    response = client.get("/portal/me/mutual-aid/")

    assert response.status_code == 302
    assert response["Location"] == "/portal/sign-in/?next=%2Fportal%2Fme%2Fmutual-aid%2F"
