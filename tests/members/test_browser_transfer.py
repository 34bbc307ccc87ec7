"""A member's transfer from one district to another in a real browser at 1366×768: the sending
clerk requests it (member through the scoped autocomplete, union joined city-wide), approves the
move out, and the receiving district's clerk, who saw no name until then, accepts it.

Fields are found by their labels and roles and the options by their visible text, not by the
form's layout, which is being reworked."""

import re

from members.models import MemberTransfer
from tests.factories import MemberFactory
from tests.portal.browser import (
    assert_desk_page_ok,
    browser_marks,
    desk_context,
    staff_signs_in,
    watched_page,
)

pytestmark = browser_marks

NAME = "钱多多"


def labelled(page, label: str):
    """The field whose label reads `label` (Django adds a colon)."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}[:：]?$"))


def choose(page, label: str, typed: str, option: str) -> None:
    """Pick `option` for the field labelled `label`: through the autocomplete (type part of the
    text, click the suggestion) when the field has one, else from the plain list."""
    field = labelled(page, label)
    if "admin-autocomplete" in (field.get_attribute("class") or ""):
        # The select itself is hidden; select2 puts its box right after it.
        field.locator("xpath=following-sibling::span[contains(@class, 'select2')][1]").click()
        page.get_by_role("searchbox").last.fill(typed)
        page.get_by_role("option", name=re.compile(re.escape(option))).click()
    else:
        value = field.locator("option", has_text=option).get_attribute("value")
        field.select_option(value)


def decide(page, live_server, transfer: MemberTransfer) -> None:
    page.goto(f"{live_server.url}/admin/members/membertransfer/{transfer.pk}/change/")
    labelled(page, "审批意见").select_option(label="同意")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()


def waiting_transfers(page, live_server) -> str:
    """The workbench's 待办 line for transfers, as the clerk reads it."""
    page.goto(f"{live_server.url}/admin/")
    line = page.get_by_role("listitem").filter(has_text="会员关系转接待办理")
    return line.inner_text()


def test_a_transfer_goes_from_request_to_acceptance_and_the_receiving_side_sees_no_name_before(
    live_server, chromium, staff, tree, tmp_path
):
    # given: a member of 织里童装厂 moving to 双林纺织厂 (南浔 district); someone of the same name
    # part in 南浔 must not be offered to the sending clerk
    member = MemberFactory(union=tree.zhili_factory, name=NAME)
    MemberFactory(union=tree.shuanglin_factory, name="钱少少")
    sending = desk_context(chromium)
    page, errors = watched_page(sending)
    staff_signs_in(page, live_server, "factory")

    # when: the sending clerk opens 新增转会 and fills it in
    page.goto(f"{live_server.url}/admin/members/membertransfer/")
    page.get_by_role("link", name=re.compile("增加|新增")).first.click()
    page.wait_for_load_state()
    assert_desk_page_ok(page, errors)
    field = labelled(page, "会员")
    assert "admin-autocomplete" in (field.get_attribute("class") or "")
    field.locator("xpath=following-sibling::span[contains(@class, 'select2')][1]").click()
    page.get_by_role("searchbox").last.fill("钱")
    offered = page.get_by_role("option").filter(has_text="钱")
    offered.first.wait_for()
    # then: only the member of the clerk's own union is offered
    assert [o.strip() for o in offered.all_inner_texts()] == [str(member)]
    offered.first.click()
    choose(page, "转入工会", "双林", tree.shuanglin_factory.name)
    labelled(page, "申请说明").fill("换工作")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()

    # then: the request is saved and listed with the member's name
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").all_inner_texts()
    transfer = MemberTransfer.objects.get()
    assert transfer.status == MemberTransfer.Status.PENDING_OUT
    assert (transfer.member, transfer.to_union) == (member, tree.shuanglin_factory)
    assert page.locator(".messagelist li.success").first.is_visible()
    assert page.get_by_role("row").filter(has_text=NAME).is_visible()
    assert_desk_page_ok(page, errors)

    # when: the receiving district's clerk looks before the sending side has approved
    receiving = desk_context(chromium)
    other, other_errors = watched_page(receiving)
    staff_signs_in(other, live_server, "nanxun")
    # then: nothing waits for them, and no page of theirs names the member
    assert waiting_transfers(other, live_server).endswith("：0")
    other.goto(f"{live_server.url}/admin/members/membertransfer/")
    assert NAME not in other.locator("body").inner_text()
    other.goto(f"{live_server.url}/admin/members/membertransfer/{transfer.pk}/change/")
    assert NAME not in other.locator("body").inner_text()
    assert_desk_page_ok(other, other_errors)

    # when: the sending clerk approves the move out
    decide(page, live_server, transfer)

    # then
    transfer.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.PENDING_IN
    assert_desk_page_ok(page, errors)

    # when: the receiving clerk opens their 待办 and the transfer
    assert waiting_transfers(other, live_server).endswith("：1")
    other.get_by_role("link", name="会员关系转接待办理").click()
    other.wait_for_load_state()
    # then: now the member is named
    row = other.get_by_role("row").filter(has_text=NAME)
    assert row.is_visible()
    assert_desk_page_ok(other, other_errors)

    # when: they accept it
    decide(other, live_server, transfer)

    # then: the member belongs to the union joined
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.COMPLETED
    assert member.union == tree.shuanglin_factory
    assert other.locator(".messagelist li.success").first.is_visible()
    assert_desk_page_ok(other, other_errors)
    other.screenshot(path=str(tmp_path / "transfer-accepted.png"), full_page=True)
    receiving.close()
    sending.close()
