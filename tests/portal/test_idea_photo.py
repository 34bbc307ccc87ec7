"""金点子 with a photo from the phone: one optional photo, checked by its bytes with the claim
receipts' checker (JPEG or PNG, at most 10 MB), stored like a receipt; the member sees it on
their ideas list, staff on the idea's admin page, nobody else. A refused photo writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.actors import MemberActor
from skills import services
from skills.models import GoldenIdea
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in
from welfare.services.mutual_aid import RECEIPT_MAX_BYTES

pytestmark = pytest.mark.django_db

URL = "/portal/services/ideas/"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _idea(photo=None, **extra):
    data = {"title": "换模定位销", "content": "加装定位销，换模缩短一半", **extra}
    if photo is not None:
        data["photo"] = photo
    return data


def _photo(data=JPEG, name="IMG_0001.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def member(client, tree):
    member = MemberFactory(union=tree.zhili_factory)
    signed_in(client, member)
    return member


def test_a_golden_idea_with_a_photo_is_stored_and_shown_on_my_ideas(client, member):
    response = client.post(URL, _idea(_photo()))
    assert response.status_code == 302
    idea = GoldenIdea.objects.get(member=member)
    assert idea.photo_content_type == "image/jpeg"
    assert idea.photo.name.startswith(f"skills/ideas/{idea.pk}/")
    assert "IMG_0001" not in idea.photo.name  # never the uploaded name in the path
    page = client.get(URL).content.decode()
    photo_url = reverse("portal:idea-photo", args=[idea.pk])
    assert photo_url in page
    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == JPEG


def test_a_png_photo_is_accepted(client, member):
    client.post(URL, _idea(_photo(PNG, "a.png", "image/png")))
    assert GoldenIdea.objects.get().photo_content_type == "image/png"


def test_the_photo_is_optional(client, member):
    assert client.post(URL, _idea()).status_code == 302
    idea = GoldenIdea.objects.get()
    assert not idea.photo
    assert reverse("portal:idea-photo", args=[idea.pk]) not in client.get(URL).content.decode()
    assert client.get(reverse("portal:idea-photo", args=[idea.pk])).status_code == 404


def test_a_file_named_jpg_that_is_not_an_image_is_refused_and_nothing_written(client, member):
    response = client.post(URL, _idea(_photo(b"MZ\x90\x00 not a photo")))
    assert response.status_code == 200
    assert "照片只能是JPG或PNG格式。" in response.content.decode()
    assert not GoldenIdea.objects.exists()


def test_a_pdf_is_not_a_photo(client, member):
    response = client.post(URL, _idea(_photo(PDF, "a.pdf", "application/pdf")))
    assert "照片只能是JPG或PNG格式。" in response.content.decode()
    assert not GoldenIdea.objects.exists()


def test_a_photo_over_10_mb_is_refused_and_nothing_written(client, member):
    big = JPEG + b"\x00" * RECEIPT_MAX_BYTES
    response = client.post(URL, _idea(_photo(big)))
    assert "单个文件不能超过10 MB" in response.content.decode()
    assert not GoldenIdea.objects.exists()


def test_an_empty_photo_file_is_refused(client, member):
    response = client.post(URL, _idea(_photo(b"")))
    assert response.status_code == 200
    assert not GoldenIdea.objects.exists()


def test_a_member_cannot_open_another_members_photo(client, tree, member):
    other = MemberFactory(union=tree.zhili_factory)
    idea = services.golden_idea_submit(
        member=other, title="别人的", content="内容", photo=_photo(), by=MemberActor(other)
    )
    assert client.get(reverse("portal:idea-photo", args=[idea.pk])).status_code == 404


def test_staff_see_the_photo_on_the_ideas_admin_page(client, tree, staff, member):
    idea = services.golden_idea_submit(
        member=member, title="换模", content="内容", photo=_photo(), by=MemberActor(member)
    )
    client.force_login(staff["township_admin"])
    page = client.get(reverse("admin:skills_goldenidea_change", args=[idea.pk]))
    photo_url = reverse("admin:skills_goldenidea_photo", args=[idea.pk])
    assert photo_url in page.content.decode()
    served = client.get(photo_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == JPEG


def test_staff_outside_the_tree_get_a_404_for_the_photo(client, tree, staff, member):
    idea = services.golden_idea_submit(
        member=member, title="换模", content="内容", photo=_photo(), by=MemberActor(member)
    )
    client.force_login(staff["nanxun_admin"])
    response = client.get(reverse("admin:skills_goldenidea_photo", args=[idea.pk]))
    assert response.status_code == 404
