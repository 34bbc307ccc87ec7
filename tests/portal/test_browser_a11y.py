"""Every portal page a worker sees, on a 390×844 phone: axe-core finds no serious or critical
violation, and with the text at 200% (适老化) nothing scrolls sideways and no control is cut off.
The pages are walked with content in them (a claim, an answered concern, an attendance, an
open competition, a station), through each step of signing in and joining."""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from activities import services as activity_services
from members.actors import MemberActor
from portal import services
from tests.activities.factories import ActivityFactory, AttendanceFactory
from tests.factories import MemberFactory, make_id_number
from tests.portal.browser import (
    axe_violations,
    browser_marks,
    clipped_controls,
    describe,
    pass_step_up,
    phone_context,
    sideways_overflow,
    sign_in_member,
    sign_in_staff,
    watched_page,
    with_axe,
    zoom_text,
)
from tests.portal.helpers import last_code
from tests.skills.factories import CompetitionFactory, HonourFactory
from tests.welfare.factories import (
    ClaimFactory,
    EnrolmentFactory,
    LineFactory,
    PlanFactory,
    StationFactory,
)
from welfare import services as welfare_services
from welfare.models import Claim, JobFair

pytestmark = browser_marks

PHONE = "13912300011"
NEWCOMER = "13912300012"


@pytest.fixture
def world(tree, staff):
    """A worker with something on every page, a session under way, and a staff user."""
    today = timezone.localdate()
    id_number = make_id_number()
    member = MemberFactory(
        union=tree.zhili_factory, name="沈骑手", phone=PHONE, id_number=id_number
    )
    line = LineFactory(plan=PlanFactory(union=tree.city, year=today.year))
    enrolment = EnrolmentFactory(member=member, union=member.union, line=line)
    claim = ClaimFactory(
        enrolment=enrolment,
        admitted_on=today - dt.timedelta(days=20),
        discharged_on=today - dt.timedelta(days=15),
        state=Claim.State.REJECTED,
        rejection_reason="票据不全，请补充出院小结",
    )
    AttendanceFactory(activity=ActivityFactory(union=tree.zhili_factory), member=member)
    CompetitionFactory(
        union=tree.city,
        start_date=today + dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=12),
    )
    HonourFactory(member=member)
    StationFactory(union=tree.zhili, opening_hours="08:00-20:00", address="织里镇珍贝路1号")
    # 湖工助业: a fair taking sign-ups (with places left) and a walk-in one.
    JobFair.objects.create(
        union=tree.wuxing,
        title="吴兴区春风行动招聘会",
        held_on=today + dt.timedelta(days=7),
        place="吴兴区人力资源市场",
        capacity=50,
    )
    JobFair.objects.create(
        union=tree.city,
        title="全市现场招聘会",
        held_on=today + dt.timedelta(days=14),
        place="湖州会展中心",
        sign_up_open=False,
    )
    concern = welfare_services.concern_raise(
        by=MemberActor(member), subject="夏天中午送餐太热", body="希望站点中午开放。"
    )
    welfare_services.concern_answer(
        concern=concern, answer="已协调站点中午开放。", by=staff["township_admin"]
    )
    starts = timezone.now() - dt.timedelta(minutes=1)
    activity = ActivityFactory(
        union=tree.zhili_factory,
        title="班前十分钟·电动车安全",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=10),
    )
    return {
        "member": member,
        "id_number": id_number,
        "claim": claim,
        "concern": concern,
        "check_in_token": activity_services.check_in_token(activity=activity),
        "staff": staff["township_admin"],
    }


def every_page(
    browser, live_server, client, world, prepare=lambda context: None
) -> Iterator[tuple[str, object, list]]:
    """Walk every page a worker (and staff scanning a card on their phone) sees; yield each
    (label, page, errors) once it is ready. `prepare` is given each new browser context."""
    url = live_server.url

    def new_context():
        context = phone_context(browser)
        prepare(context)
        return context

    # Anonymous, signing in step by step (the bind step is the first sign-in on this device).
    context = new_context()
    page, errors = watched_page(context)
    page.goto(f"{url}/portal/")
    yield "首页（未登录）", page, errors
    page.goto(f"{url}/portal/sign-in/")
    yield "登录·手机号", page, errors
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("#id_code")
    yield "登录·验证码", page, errors
    page.get_by_label("短信验证码").fill(last_code(PHONE))
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#id_id_last6")
    yield "登录·核对身份", page, errors
    page.get_by_label("姓名").fill("不是本人")
    page.get_by_label("身份证号码后6位").fill("000000")
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("[role=alert]")
    yield "登录·核对不符", page, errors
    page.goto(f"{url}/portal/phone-change/")
    yield "手机号换了", page, errors
    context.close()

    # Joining, with a number no member has.
    context = new_context()
    page, errors = watched_page(context)
    page.goto(f"{url}/portal/join/")
    yield "入会·手机号", page, errors
    page.get_by_label("手机号码").fill(NEWCOMER)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("#id_code")
    yield "入会·验证码", page, errors
    page.get_by_label("短信验证码").fill(last_code(NEWCOMER))
    page.get_by_role("button", name="下一步").click()
    page.wait_for_selector("#id_agree")
    yield "入会·告知同意", page, errors
    page.get_by_label("我已阅读并同意", exact=False).check()
    page.get_by_role("button", name="同意并继续").click()
    page.wait_for_selector("#id_id_number")
    yield "入会·申请表", page, errors
    page.get_by_label("姓名").fill("许新人")
    page.get_by_label("身份证号码").fill(make_id_number())
    page.get_by_label("就业形态").select_option(label="外卖骑手")
    page.get_by_label("工作所在乡镇(街道)").select_option(index=1)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector(".state-pending")
    yield "入会·申请状态", page, errors
    context.close()

    # Signed in.
    member = world["member"]
    context = new_context()
    sign_in_member(context, live_server, member)
    page, errors = watched_page(context)
    pages = [
        ("首页", "/portal/"),
        ("电子会员证", "/portal/card/"),
        ("签到", f"/portal/check-in/?token={world['check_in_token']}"),
        ("我参加的活动", "/portal/me/activities/"),
        ("技能竞赛", "/portal/me/competitions/"),
        ("医疗互助", "/portal/me/mutual-aid/"),
        ("互助申请详情", f"/portal/me/claims/{world['claim'].pk}/"),
        ("申请医疗互助·告知", "/portal/services/claims/new/"),
        ("职工心声", "/portal/me/voice/"),
        ("职工心声·回声", f"/portal/me/voice/{world['concern'].pk}/"),
        ("我的个人信息", "/portal/me/data/"),
        ("我的消息", "/portal/messages/"),
        ("短信验证", "/portal/confirm/?next=/portal/me/data/download/"),
        ("收款银行卡", "/portal/services/bank-card/"),
        ("困难帮扶", "/portal/services/hardship/"),
        ("会员关系转接", "/portal/services/transfer/"),
        ("法律咨询", "/portal/services/legal/"),
        ("湖工助业", "/portal/services/jobs/"),
        ("荣誉和证书", "/portal/services/honours/"),
        ("金点子", "/portal/services/ideas/"),
        ("疗休养", "/portal/services/recuperation/"),
        ("服务站点", "/portal/services/stations/"),
    ]
    for label, path in pages:
        page.goto(f"{url}{path}")
        if "/portal/confirm/" in page.url and "/portal/confirm/" not in path:
            # Claims and bank details ask for a fresh SMS code first; the confirm page itself
            # is walked as 短信验证 above, so answer it here and walk the page behind it.
            pass_step_up(page, member)
        yield label, page, errors
    page.goto(f"{url}/portal/check-in/?token={world['check_in_token']}")
    page.get_by_role("button", name="签到", exact=True).click()
    page.wait_for_selector("#checked-in")
    yield "签到·已签到", page, errors
    # The claim form itself, once the medical notice is agreed to.
    page.goto(f"{url}/portal/services/claims/new/")
    pass_step_up(page, member)
    if page.locator("#id_agree").count():
        page.locator("#id_agree").check()
        page.get_by_role("button", name="同意并继续").click()
    page.wait_for_selector("#receipts")
    yield "申请医疗互助·表单", page, errors
    context.close()

    # Staff scanning a card at a service station, on their phone.
    context = new_context()
    sign_in_staff(context, live_server, client, world["staff"])
    page, errors = watched_page(context)
    page.goto(f"{url}/portal/verify/?token={services.card_token(member=member)}")
    yield "会员证核验", page, errors
    stale = services.card_token(member=member, issued_at=timezone.now() - dt.timedelta(hours=1))
    page.goto(f"{url}/portal/verify/?token={stale}")
    yield "会员证核验·已过期", page, errors
    context.close()


def walk(browser, live_server, client, world, check: Callable, **kwargs) -> dict[str, object]:
    failures = {}
    for label, page, errors in every_page(browser, live_server, client, world, **kwargs):
        found = check(page)
        if found:
            failures[f"{label} {page.url.split('/portal', 1)[1]}"] = found
        if errors:
            failures[f"{label} errors"] = list(errors)
            errors.clear()
    return failures


# No server and no rows: a plain transaction rolled back, not the module's table flush.
@pytest.mark.django_db
def test_axe_finds_a_nameless_button_so_a_clean_run_means_something(chromium):
    context = phone_context(chromium)
    with_axe(context)
    page = context.new_page()
    page.set_content('<html lang="zh-Hans"><title>t</title><main><button></button></main></html>')
    found = [v["id"] for v in axe_violations(page)]
    context.close()
    assert "button-name" in found


@pytest.mark.django_db
def test_the_200_percent_check_finds_a_control_off_screen_and_a_squeezed_value(chromium):
    context = phone_context(chromium)
    page = context.new_page()
    page.set_content(
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<main><button style="width:500px">提交申请</button>'
        '<dl style="display:grid;grid-template-columns:auto 1fr;width:300px">'
        "<dt>不予补助理由说明</dt><dd>票据不全，请补充出院小结</dd></dl></main>"
    )
    zoom_text(page, 2)
    found = clipped_controls(page)
    context.close()
    assert any("提交申请" in f and "outside the screen" in f for f in found), found
    assert any("票据不全" in f and "squeezed" in f for f in found), found


def test_no_portal_page_has_a_serious_or_critical_axe_violation(
    live_server, chromium, client, world
):
    failures = walk(
        browser=chromium,
        live_server=live_server,
        client=client,
        world=world,
        check=axe_violations,
        prepare=with_axe,
    )
    # The ids, per page, so a failure says what to fix.
    assert failures == {}, (
        describe(
            {
                page: [v["id"] for v in found] if isinstance(found[0], dict) else found
                for page, found in failures.items()
            }
        )
        + "\n"
        + describe(failures)
    )


def test_with_the_text_at_200_percent_no_page_scrolls_sideways_or_cuts_a_control_off(
    live_server, chromium, client, world
):
    def zoomed(page):
        zoom_text(page, 2)
        found = clipped_controls(page)
        overflow = sideways_overflow(page)
        if overflow > 0:
            found.append(f"the page is {overflow} px wider than the phone")
        return found

    failures = walk(
        browser=chromium, live_server=live_server, client=client, world=world, check=zoomed
    )
    assert failures == {}, describe(failures)
