"""The portal's main journeys in a real browser: workers on a 390×844 phone, union staff at a
1366×768 desk, each step asserting what the person sees and the rows written. Every page a
worker sees passes the page checks of tests/portal/browser.py (no sideways scroll, no console
error, under 100 KB); the staff's admin pages are held to no sideways scroll and no error (the
100 KB budget is the portal's, for workers on mobile data)."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone
from PIL import Image

from members.models import Member
from portal import services
from portal.models import CardVerification, JoinApplication, SmsCode
from tests.factories import MemberFactory, make_id_number
from tests.portal.browser import (
    assert_page_ok,
    browser_marks,
    desk_context,
    pass_step_up,
    phone_context,
    sign_in_member,
    sign_in_staff,
    watched_page,
)
from tests.portal.helpers import last_code
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import BankCard, Claim, ClaimReceipt, Concern

pytestmark = browser_marks

CARD_NUMBER = "6222021202001234567"


@pytest.fixture
def phone(chromium):
    context = phone_context(chromium)
    yield context
    context.close()


@pytest.fixture
def desk(chromium):
    context = desk_context(chromium)
    yield context
    context.close()


def test_a_worker_applies_for_mutual_aid_with_a_receipt_photo_and_follows_it(
    live_server, tree, phone, tmp_path
):
    # given: a worker enrolled in this year's mutual aid, signed in on their phone, and a photo
    # of the hospital receipt the phone's camera took
    today = timezone.localdate()
    member = MemberFactory(union=tree.zhili_factory, name="钱外卖", phone="13912300021")
    line = LineFactory(plan=PlanFactory(union=tree.city, year=today.year))
    EnrolmentFactory(member=member, union=member.union, line=line)
    photo = tmp_path / "IMG_20261201_0930.jpg"
    Image.new("RGB", (64, 48), (240, 240, 230)).save(photo, "JPEG", quality=80)
    sign_in_member(phone, live_server, member)
    page, errors = watched_page(phone)

    # when: from the home page the worker taps 申请医疗互助 and agrees to the medical notice
    page.goto(f"{live_server.url}/portal/")
    assert_page_ok(page, errors)
    page.get_by_role("link", name="申请医疗互助").click()
    pass_step_up(page, member)
    assert "医疗健康信息处理告知" in page.locator("main").inner_text()
    assert_page_ok(page, errors)
    page.get_by_label("我已阅读并同意", exact=False).check()
    page.get_by_role("button", name="同意并继续").click()
    pass_step_up(page, member)

    # and: fills the short form, takes the receipt photo and gives the bank card
    assert_page_ok(page, errors)
    page.get_by_label("就诊类别").select_option(label="住院")
    page.get_by_label("医院").fill("湖州市第一人民医院")
    page.get_by_label("入院日期").fill((today - dt.timedelta(days=9)).isoformat())
    page.get_by_label("出院日期").fill((today - dt.timedelta(days=3)).isoformat())
    page.get_by_label("医疗总费用（元）").fill("8600")
    page.get_by_label("政策范围内自付费用（元）").fill("5200")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("票据照片", exact=False).click()
    chooser.value.set_files(str(photo))
    page.get_by_label("开户行").fill("中国工商银行湖州分行")
    page.get_by_label("银行卡号", exact=False).fill(CARD_NUMBER)
    page.get_by_role("button", name="提交申请").click()

    # then: the claim's page says it is submitted, and the rows are the worker's
    page.wait_for_url("**/portal/me/claims/*/")
    assert_page_ok(page, errors)
    claim = Claim.objects.get(member=member)
    main = page.locator("main").inner_text()
    assert "湖州市第一人民医院" in main and "已提交" in main and "申请已提交" in main
    assert claim.state == Claim.State.SUBMITTED
    assert claim.hospital == "湖州市第一人民医院"
    assert (claim.total_expenses, claim.eligible_expenses) == (8600, 5200)
    receipt = ClaimReceipt.objects.get(claim=claim)
    assert receipt.content_type == ClaimReceipt.Kind.JPEG
    assert receipt.original_name == photo.name and receipt.size == photo.stat().st_size
    card = BankCard.objects.get(person_hash=member.id_number_hash)
    assert claim.bank_card == card and card.card_number_masked.endswith(CARD_NUMBER[-4:])
    assert card.holder_name == "钱外卖"

    # when: the worker opens 医疗互助 → 我的申请
    page.goto(f"{live_server.url}/portal/me/mutual-aid/")

    # then: the claim is listed with its state
    assert_page_ok(page, errors)
    item = page.locator("li", has_text="湖州市第一人民医院")
    assert "已提交" in item.inner_text()
    assert page.locator("h2", has_text="我的申请").count() == 1


def test_a_worker_raises_a_concern_staff_answer_it_and_the_worker_reads_the_answer(
    live_server, tree, staff, client, phone, desk
):
    # given: a worker signed in on their phone
    member = MemberFactory(union=tree.zhili_factory, name="孙快递", phone="13912300022")
    sign_in_member(phone, live_server, member)
    page, errors = watched_page(phone)

    # when: the worker raises a concern in 职工心声
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="职工心声").click()
    assert_page_ok(page, errors)
    page.get_by_label("主题").fill("分拣场没有饮水点")
    page.get_by_label("想说的话").fill("夏天分拣场很热，希望装一台饮水机。")
    page.get_by_role("button", name="提交").click()

    # then: it is recorded against the worker's union, and the page shows it waits for an answer
    page.wait_for_url("**/portal/me/voice/*/")
    assert_page_ok(page, errors)
    concern = Concern.objects.get(member=member)
    assert concern.union == tree.zhili_factory and concern.status == Concern.Status.OPEN
    assert "待回复" in page.locator("main").inner_text()

    # when: the township's admin answers it in the admin at their desk
    sign_in_staff(desk, live_server, client, staff["township_admin"])
    admin, admin_errors = watched_page(desk)
    admin.goto(f"{live_server.url}/admin/welfare/concern/")
    admin.get_by_role("link", name="分拣场没有饮水点").click()
    admin.locator("textarea[name=answer]").fill("已协调站点在分拣场安装饮水机，下周投用。")
    admin.locator("input[name=_save]").click()
    admin.wait_for_url("**/admin/welfare/concern/")

    # then: the concern is answered by that admin
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ANSWERED
    assert concern.answered_by == staff["township_admin"]
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1366
    assert admin_errors == []

    # when: the worker opens the concern again
    page.goto(f"{live_server.url}/portal/me/voice/")
    page.get_by_role("link", name="分拣场没有饮水点").click()

    # then: the answer (回声) is there
    assert_page_ok(page, errors)
    main = page.locator("main").inner_text()
    assert "已协调站点在分拣场安装饮水机" in main and "已回复" in main


def test_a_worker_joins_online_is_approved_in_the_admin_and_shows_the_card(
    live_server, tree, staff, client, phone, desk
):
    # given: a courier in 织里 whom the registry does not know
    number, id_number = "13912300023", make_id_number()
    page, errors = watched_page(phone)

    # when: they prove their number, agree to the notice and apply
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="还不是会员？在线入会").click()
    assert_page_ok(page, errors)
    page.get_by_label("手机号码").fill(number)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(last_code(number))
    page.get_by_role("button", name="下一步").click()
    assert_page_ok(page, errors)
    page.get_by_label("我已阅读并同意", exact=False).check()
    page.get_by_role("button", name="同意并继续").click()
    assert_page_ok(page, errors)
    page.get_by_label("姓名").fill("李骑手")
    page.get_by_label("身份证号码").fill(id_number)
    page.get_by_label("就业形态").select_option(label="快递员")
    page.get_by_label("工作所在乡镇(街道)").select_option(label=str(tree.zhili))
    page.get_by_role("button", name="提交申请").click()

    # then: the application goes to the township's joint union and shows as pending
    assert_page_ok(page, errors)
    application = JoinApplication.objects.get(phone=number)
    assert application.union == tree.zhili_joint
    assert application.state == JoinApplication.State.PENDING
    assert "待审核" in page.locator("main").inner_text()

    # when: the township's admin approves it in the admin
    sign_in_staff(desk, live_server, client, staff["township_admin"])
    admin, admin_errors = watched_page(desk)
    admin.goto(f"{live_server.url}/admin/portal/joinapplication/")
    admin.get_by_role("link", name="李骑手").click()
    admin.get_by_label("批准入会").check()
    admin.locator("input[name=_save]").click()
    admin.wait_for_url("**/admin/portal/joinapplication/")

    # then: the person is an active member of the joint union
    application.refresh_from_db()
    assert application.state == JoinApplication.State.APPROVED
    member = Member.objects.get(pk=application.member_id)
    assert member.status == Member.Status.ACTIVE and member.union == tree.zhili_joint
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1366
    assert admin_errors == []

    # when: later (past the 60 s between codes), the worker looks again, follows 去登录 and
    # signs in by SMS code
    SmsCode.objects.filter(phone=number).update(
        created_at=F("created_at") - dt.timedelta(minutes=5)
    )
    page.goto(f"{live_server.url}/portal/join/")
    assert "已批准" in page.locator("main").inner_text()
    page.get_by_role("link", name="已成为会员，去登录").click()
    assert_page_ok(page, errors)
    page.get_by_label("手机号码").fill(number)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(last_code(number))
    page.get_by_role("button", name="登录").click()
    page.get_by_label("姓名").fill("李骑手")
    page.get_by_label("身份证号码后6位").fill(id_number[-6:])
    page.get_by_role("button", name="确认").click()

    # then: home greets them, and the e-card shows their name, masked ID and union
    page.wait_for_url(f"{live_server.url}/portal/")
    assert "李骑手，您好" in page.locator("main").inner_text()
    page.get_by_role("link", name="电子会员证").click()
    # A function, not a string: the page's CSP forbids the eval a string predicate needs.
    page.wait_for_function("() => document.getElementById('card-qr').naturalWidth > 0")
    assert_page_ok(page, errors)
    card = page.locator("main").inner_text()
    assert "李骑手" in card and member.id_number_masked in card
    assert str(tree.zhili_joint) in card and id_number not in card


def test_staff_verify_an_e_card_and_a_screenshot_of_an_expired_one_does_not_verify(
    live_server, tree, staff, client, desk
):
    # given: a member's card token as the QR code holds it, and one issued ten minutes ago
    id_number = make_id_number()
    member = MemberFactory(
        union=tree.zhili_factory, name="吴师傅", phone="13912300024", id_number=id_number
    )
    fresh = services.card_token(member=member)
    stale = services.card_token(
        member=member, issued_at=timezone.now() - services.CARD_TOKEN_MAX_AGE * 3
    )
    sign_in_staff(desk, live_server, client, staff["township_admin"])
    page, errors = watched_page(desk)

    # when: staff open the scanned link
    page.goto(f"{live_server.url}/portal/verify/?token={fresh}")

    # then: an active member, name and ID masked, and the check recorded
    assert_page_ok(page, errors)
    result = page.locator("main").inner_text()
    assert "在会会员" in result and "吴**" in result and member.id_number_masked in result
    assert "吴师傅" not in result and id_number not in result
    check = CardVerification.objects.get()
    assert (check.member, check.verified_by, check.was_active) == (
        member,
        staff["township_admin"],
        True,
    )

    # when: the screenshot of an old code is scanned
    page.goto(f"{live_server.url}/portal/verify/?token={stale}")

    # then: it says the code has expired, shows no one, and records nothing more
    assert_page_ok(page, errors)
    result = page.locator("main").inner_text()
    assert "已过期" in result
    assert "在会会员" not in result and "吴" not in result
    assert CardVerification.objects.count() == 1
