"""GET /api/v1/me/ideas/<id>/photo/: the member fetches the photo of their own golden idea (金点子)
from the app, as the portal's page shows it: the stored bytes under the stored type, with the web
route's headers (nosniff, never cached). Another member's idea, an idea without a photo, or a
staff token get nothing of the photo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from members.actors import MemberActor
from members.tokens import token_issue
from skills import services
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SAME_AS_THE_WEB = ("Content-Type", "Cache-Control", "X-Content-Type-Options")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory)


def _client(member=None, user=None) -> APIClient:
    _token, key = (
        token_issue(user=user) if user else token_issue(member_id_hash=member.id_number_hash)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _idea(member, data=JPEG, content_type="image/jpeg", name="IMG_0001.jpg"):
    photo = SimpleUploadedFile(name, data, content_type=content_type) if data else None
    return services.golden_idea_submit(
        member=member, title="换模定位销", content="加装定位销", photo=photo, by=MemberActor(member)
    )


def _url(idea) -> str:
    return f"/api/v1/me/ideas/{idea.pk}/photo/"


def test_a_member_gets_their_own_idea_photo_with_the_web_routes_headers(client, me):
    # given: an idea with a photo, and the same member signed in on the portal too
    idea = _idea(me)
    signed_in(client, me)
    # when
    served = _client(me).get(_url(idea))
    web = client.get(reverse("portal:idea-photo", args=[idea.pk]))
    # then: the stored bytes, under the stored type, never sniffed, never cached; as on the web
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == JPEG
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store", "no-cache"} <= {
        part.strip() for part in served["Cache-Control"].split(",")
    }
    assert web.status_code == 200
    assert {h: served[h] for h in SAME_AS_THE_WEB} == {h: web[h] for h in SAME_AS_THE_WEB}


def test_a_png_photo_is_served_as_png(me):
    idea = _idea(me, PNG, "image/png", "a.png")
    served = _client(me).get(_url(idea))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG


def test_an_image_only_accept_header_still_gets_the_photo(me):
    # An image view in a WebView may ask for image/* only; DRF's negotiation would answer 406.
    idea = _idea(me)
    served = _client(me).get(_url(idea), HTTP_ACCEPT="image/webp,image/*")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_another_members_idea_photo_is_not_found_like_a_missing_one(tree, me):
    theirs = _idea(MemberFactory(union=tree.zhili_factory))
    client = _client(me)
    response = client.get(_url(theirs))
    missing = client.get(f"/api/v1/me/ideas/{theirs.pk + 1000}/photo/")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert JPEG not in response.content


def test_an_idea_without_a_photo_is_not_found(me):
    idea = _idea(me, data=None)
    assert _client(me).get(_url(idea)).status_code == 404


def test_a_staff_token_cannot_fetch_a_members_photo(staff, me):
    idea = _idea(me)
    response = _client(user=staff["city_admin"]).get(_url(idea))
    assert response.status_code in (401, 403)
    assert JPEG not in response.content


def test_the_ideas_list_links_each_photo_and_says_null_without_one(me):
    with_photo, without = _idea(me), _idea(me, data=None)
    rows = {row["id"]: row for row in _client(me).get("/api/v1/me/ideas/").json()}
    assert rows[with_photo.pk]["photo_url"] == _url(with_photo)
    assert rows[without.pk]["photo_url"] is None


def test_the_photo_route_is_in_the_schema_as_an_image(client, settings):
    settings.API_DOCS_PUBLIC = True
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/me/ideas/{id}/photo/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"image/jpeg", "image/png"}
    assert "404" in operation["responses"]
