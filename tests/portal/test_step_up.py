"""Claims, bank details and the personal-data download ask for a fresh SMS code (step-up), on the
web pages and in the member API. Without one: the page sends to the confirm page (nothing is
written), the API answers 403 in Chinese. With one: it works. A code proved by one person in a
browser does not open another person's pages; an old code does not either."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from members import crypto
from members.actors import MemberActor
from members.tokens import token_issue
from portal import stepup
from portal.models import Consent, PersonalDataExport, SmsCode
from portal.views_services import MEDICAL_NOTICE_VERSION
from tests.factories import MemberFactory
from tests.portal.helpers import fresh_code, last_code, signed_in
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory
from welfare import services as welfare_services
from welfare.models import BankCard, Claim

pytestmark = pytest.mark.django_db
PHONE = "13912340061"
CARD = "6222021202001234567"
CLAIM = "/portal/services/claims/new/"
BANK = "/portal/services/bank-card/"
HARDSHIP = "/portal/services/hardship/"
DOWNLOAD = "/portal/me/data/download/"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.fixture
def me(tree):
    line = LineFactory(plan=PlanFactory(union=tree.city, year=timezone.localdate().year))
    member = MemberFactory(union=tree.zhili_factory, phone=PHONE, name="钱师傅")
    EnrolmentFactory(member=member, union=member.union, line=line)
    return member


def _claim_post(member):
    year = timezone.localdate().year
    return {
        "action": "apply",
        "line": member.enrolments.get().line.pk,
        "category": "inpatient",
        "hospital": "湖州市中心医院",
        "admitted_on": f"{year}-01-03",
        "discharged_on": f"{year}-01-08",
        "total_expenses": "8000",
        "eligible_expenses": "6000",
        "bank_name": "工商银行",
        "card_number": CARD,
        "receipts": [SimpleUploadedFile("IMG_1.jpg", JPEG, content_type="image/jpeg")],
    }


def _sends_to_confirm(response, back_to: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        stepup.confirm_url(back_to)
    )


# --- web pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CLAIM, BANK, DOWNLOAD])
def test_without_a_fresh_code_the_page_sends_to_the_confirm_page(client, me, url):
    signed_in(client, me)
    assert _sends_to_confirm(client.get(url), url)


def test_a_card_posted_without_a_fresh_code_is_not_stored(client, me):
    signed_in(client, me)
    response = client.post(BANK, {"bank_name": "工商银行", "card_number": CARD})
    assert _sends_to_confirm(response, BANK)
    assert not BankCard.objects.exists()


def test_a_claim_posted_without_a_fresh_code_writes_nothing(client, me):
    signed_in(client, me)
    consent = client.post(CLAIM, {"action": "consent", "agree": "on"})
    response = client.post(CLAIM, _claim_post(me))
    assert _sends_to_confirm(consent, CLAIM) and _sends_to_confirm(response, CLAIM)
    assert not Claim.objects.exists() and not BankCard.objects.exists()
    assert not Consent.objects.exists()


def test_a_hardship_application_registering_a_card_asks_for_a_fresh_code(client, me):
    signed_in(client, me)
    data = {
        "category": "illness",
        "application": "住院",
        "bank_name": "工商银行",
        "card_number": CARD,
    }
    assert _sends_to_confirm(client.post(HARDSHIP, data), HARDSHIP)
    assert not BankCard.objects.exists()
    # with a card already on file, confirming it needs no code
    welfare_services.bank_card_set(by=MemberActor(me), bank_name="工商银行", card_number=CARD)
    assert client.get(HARDSHIP).status_code == 200


def test_the_confirm_page_sends_a_code_and_the_bank_card_page_then_works(client, me):
    signed_in(client, me)
    client.post("/portal/confirm/", {"action": "send", "next": BANK})
    back = client.post(
        "/portal/confirm/", {"action": "verify", "code": last_code(PHONE), "next": BANK}
    )
    assert back["Location"] == BANK
    response = client.post(BANK, {"bank_name": "工商银行", "card_number": CARD})
    assert response.status_code == 302 and response["Location"] == BANK
    assert BankCard.objects.get().person_hash == me.id_number_hash


def test_a_fresh_code_older_than_ten_minutes_asks_again_but_a_form_gets_longer(client, me):
    signed_in(client, me)
    fresh_code(client, me)
    session = client.session
    session[stepup.SESSION_KEY]["at"] = (timezone.now() - dt.timedelta(minutes=12)).isoformat()
    session.save()
    # the page is not opened on an old code
    assert _sends_to_confirm(client.get(BANK), BANK)
    # but a form opened under it and sent within the grace is taken
    response = client.post(BANK, {"bank_name": "工商银行", "card_number": CARD})
    assert response.status_code == 302 and response["Location"] == BANK
    assert BankCard.objects.exists()


def test_one_persons_fresh_code_does_not_open_anothers_page(client, tree, me):
    signed_in(client, me)
    fresh_code(client, me)
    other = MemberFactory(union=tree.zhili_factory, phone="13912340062")
    client.cookies.pop(settings.PORTAL_DEVICE_COOKIE, None)
    signed_in(client, other)
    assert _sends_to_confirm(client.get(BANK), BANK)


def test_with_a_fresh_code_a_claim_is_filed(client, me):
    signed_in(client, me)
    fresh_code(client, me)
    client.post(CLAIM, {"action": "consent", "agree": "on"})
    response = client.post(CLAIM, _claim_post(me))
    assert response.status_code == 302
    assert Claim.objects.get().member == me


# --- the download as a workbook, recorded --------------------------------------------------------


def test_the_download_as_xlsx_holds_my_records_masked_and_is_recorded(client, me):
    signed_in(client, me)
    fresh_code(client, me)
    response = client.get(DOWNLOAD + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "说明" and "会员登记信息" in book.sheetnames
    registry = list(book["会员登记信息"].iter_rows(values_only=True))
    header, row = registry[0], registry[1]
    assert row[header.index("姓名")] == "钱师傅"
    assert row[header.index("公民身份号码")] == me.id_number_masked
    cells = [str(c) for s in book for r in s.iter_rows(values_only=True) for c in r if c]
    assert not any(me.id_number_hash in c or me.id_number_encrypted in c for c in cells)
    full = crypto.decrypt_id_number(me.id_number_encrypted)
    assert not any(full in c for c in cells)
    export = PersonalDataExport.objects.get()
    assert (export.person_hash, export.file_format, export.channel) == (
        me.id_number_hash,
        "xlsx",
        "web",
    )
    # and the next copy lists the first
    again = load_workbook(io.BytesIO(client.get(DOWNLOAD + "?format=xlsx").content))
    assert again["个人信息下载记录"].max_row == 2  # header + the first download


def test_text_that_excel_would_run_is_defused_in_the_workbook(client, me):
    welfare_services.concern_raise(by=MemberActor(me), subject='=HYPERLINK("x")', body="b")
    signed_in(client, me)
    fresh_code(client, me)
    book = load_workbook(io.BytesIO(client.get(DOWNLOAD + "?format=xlsx").content))
    values = [c for r in book["职工心声"].iter_rows(values_only=True) for c in r]
    assert '\'=HYPERLINK("x")' in values


def test_a_download_refused_for_want_of_a_code_is_not_recorded(client, me):
    signed_in(client, me)
    client.get(DOWNLOAD + "?format=xlsx")
    assert not PersonalDataExport.objects.exists()


# --- the member API -----------------------------------------------------------------------------


def _api(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/me/bank-card/", {"bank_name": "工商银行", "card_number": CARD}),
        ("/api/v1/me/personal-data/", {}),
    ],
)
def test_the_api_refuses_a_sensitive_request_without_a_code_with_403(me, path, body):
    response = _api(me).post(path, body, format="json")
    assert response.status_code == 403
    assert "短信验证" in response.json()["detail"]
    assert not BankCard.objects.exists() and not PersonalDataExport.objects.exists()


def test_the_api_refuses_a_wrong_code_and_counts_it(me):
    client = _api(me)
    client.post("/api/v1/me/step-up/code/")
    response = client.post(
        "/api/v1/me/bank-card/",
        {"bank_name": "工商银行", "card_number": CARD, "code": "000000"},
        format="json",
    )
    assert response.status_code == 400 and "还可以再试4次" in str(response.json())
    assert not BankCard.objects.exists()
    assert SmsCode.objects.get(purpose="step_up").failed_attempts == 1


def test_the_api_registers_a_card_with_a_fresh_code_and_shows_it_masked(me):
    client = _api(me)
    assert client.get("/api/v1/me/bank-card/").status_code == 404
    assert client.post("/api/v1/me/step-up/code/").status_code == 204
    response = client.post(
        "/api/v1/me/bank-card/",
        {"bank_name": "工商银行", "card_number": CARD, "code": last_code(PHONE)},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["card_number_masked"] == "6222 **** **** 4567"
    assert CARD not in response.content.decode()
    assert client.get("/api/v1/me/bank-card/").json()["holder_name"] == "钱师傅"


def test_the_api_personal_data_with_a_fresh_code_is_recorded(me):
    client = _api(me)
    client.post("/api/v1/me/step-up/code/")
    response = client.post("/api/v1/me/personal-data/", {"code": last_code(PHONE)}, format="json")
    assert response.status_code == 200
    assert response.json()["会员登记信息"][0]["姓名"] == "钱师傅"
    assert PersonalDataExport.objects.get().channel == "api"


def _api_claim(member, **extra):
    year = timezone.localdate().year
    return {
        "line": member.enrolments.get().line.pk,
        "category": "inpatient",
        "hospital": "湖州市中心医院",
        "admitted_on": f"{year}-01-03",
        "discharged_on": f"{year}-01-08",
        "total_expenses": "8000",
        "eligible_expenses": "6000",
        "receipts": [SimpleUploadedFile("IMG_1.jpg", JPEG, content_type="image/jpeg")],
        **extra,
    }


def test_the_api_claim_asks_for_consent_a_card_and_a_fresh_code_before_anything_is_written(me):
    client = _api(me)
    # no consent yet: the notice comes back, nothing written, no code spent
    first = client.post("/api/v1/me/claims/", _api_claim(me), format="multipart")
    assert first.status_code == 400 and first.json()["notice_version"] == MEDICAL_NOTICE_VERSION
    # consent given, but no bank card on file
    consented = {"consent": "true"}
    no_card = client.post("/api/v1/me/claims/", _api_claim(me, **consented), format="multipart")
    assert no_card.status_code == 400 and "bank_card" in no_card.json()
    welfare_services.bank_card_set(by=MemberActor(me), bank_name="工商银行", card_number=CARD)
    # no code
    no_code = client.post("/api/v1/me/claims/", _api_claim(me, **consented), format="multipart")
    assert no_code.status_code == 403 and "短信验证" in no_code.json()["detail"]
    assert not Claim.objects.exists() and not Consent.objects.exists()
    # with a fresh code: the claim, the consent for the person, the card on it
    client.post("/api/v1/me/step-up/code/")
    done = client.post(
        "/api/v1/me/claims/",
        _api_claim(me, code=last_code(PHONE), **consented),
        format="multipart",
    )
    assert done.status_code == 201, done.content
    claim = Claim.objects.get()
    assert (claim.member, claim.bank_card.person_hash) == (me, me.id_number_hash)
    assert claim.receipts.count() == 1
    assert Consent.objects.get().person_hash == me.id_number_hash


def test_the_api_claim_refused_by_the_service_writes_nothing_and_keeps_the_code(me):
    welfare_services.bank_card_set(by=MemberActor(me), bank_name="工商银行", card_number=CARD)
    client = _api(me)
    client.post("/api/v1/me/step-up/code/")
    fake = SimpleUploadedFile("r.jpg", b"MZ\x90 not a photo", content_type="image/jpeg")
    response = client.post(
        "/api/v1/me/claims/",
        _api_claim(me, receipts=[fake], code=last_code(PHONE), consent="true"),
        format="multipart",
    )
    assert response.status_code == 400
    assert not Claim.objects.exists() and not Consent.objects.exists()
    assert SmsCode.objects.get(purpose="step_up").used_at is None


def test_the_api_claim_for_a_line_the_member_is_not_covered_by_is_refused(tree, me):
    # another line of the same plan, which the member did not join
    other_line = LineFactory(
        plan=me.enrolments.get().line.plan, kind="major_illness", name="重大疾病互助"
    )
    welfare_services.bank_card_set(by=MemberActor(me), bank_name="工商银行", card_number=CARD)
    client = _api(me)
    response = client.post(
        "/api/v1/me/claims/",
        _api_claim(me, line=other_line.pk, consent="true"),
        format="multipart",
    )
    assert response.status_code == 400 and "line" in response.json()
    assert not Claim.objects.exists()


def test_signing_in_with_a_code_counts_as_a_fresh_code(client, me):
    # a worker signs in on a new phone (code, then name + last 6) to apply for aid
    sign_in = "/portal/sign-in/"
    client.post(sign_in, {"action": "send", "phone": PHONE, "next": BANK})
    client.post(sign_in, {"action": "verify", "code": last_code(PHONE), "next": BANK})
    last6 = crypto.decrypt_id_number(me.id_number_encrypted)[-6:]
    done = client.post(
        sign_in, {"action": "bind", "name": "钱师傅", "id_last6": last6, "next": BANK}
    )
    assert done["Location"] == BANK
    # the bank card page opens without a second code
    assert client.get(BANK).status_code == 200
    assert SmsCode.objects.filter(purpose="step_up").count() == 0
