"""A clerk's roster import in a real browser at 1366×768: a file with two bad rows is refused with
every reason on screen, 下载错误文件 downloads the file with a 错误原因 column (a small file rides
in the page as a data: link), 检查并下载错误文件 on the same form answers with the same file
(the way a big one comes), nothing of it is stored, and the fixed file goes in. Playwright,
Debian's Chromium."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.db import connections

from common.models import ExportJob, ImportUpload
from members.models import Member
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, row

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]


@pytest.fixture
def page_as(live_server, client):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )

        def open_as(user):
            client.force_login(user)
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
            return context.new_page()

        try:
            yield open_as, live_server.url
        finally:
            context.close()
            browser.close()
            connections.close_all()


def test_a_clerk_downloads_the_error_file_fixes_it_and_uploads_it_again(
    page_as, staff, tree, tmp_path
):
    open_as, base = page_as
    numbers = [make_id_number() for _ in range(3)]
    bad = numbers[1][:-1] + ("0" if numbers[1][-1] != "0" else "1")
    source = tmp_path / "名册.csv"
    source.write_bytes(
        roster_csv(
            [
                row("张三", numbers[0], tree.zhili_factory.code),
                row("李四", bad, tree.zhili_factory.code, joined="昨天"),
                row("王五", numbers[2], "999999"),
            ]
        )
    )
    page = open_as(staff["township_admin"])

    # when: the clerk uploads the file
    page.goto(f"{base}/admin/members/member/import/")
    page.select_option("select[name=format]", index=1)
    page.set_input_files("input[name=import_file]", str(source))
    page.click("input[type=submit].default")

    # then: the reasons are on screen, row by row
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "以下行有错误，整个文件未导入" in page.content()
    row3 = errors.locator("tr", has_text="第3行")
    assert row3.is_visible() and "校验位" in row3.inner_text() and "入会日期" in row3.inner_text()
    assert "999999" in errors.locator("tr", has_text="第4行").inner_text()

    # when: 下载错误文件
    with page.expect_download() as download_info:
        page.click("#import-error-file")
    download = download_info.value
    assert download.suggested_filename == "名册-错误原因.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert rows[0][-1] == "错误原因"
    assert rows[1][-1] == "" and "校验位" in rows[2][-1] and "999999" in rows[3][-1]

    # when: the same file chosen again on that page, 检查并下载错误文件
    page.select_option("select[name=format]", index=1)
    page.set_input_files("input[name=import_file]", str(source))
    with page.expect_download() as download_info:
        page.click("#import-check-errors")
    checked = download_info.value

    # then: the same file comes back, and nothing of it was kept on the server
    assert checked.suggested_filename == "名册-错误原因.csv"
    assert Path(checked.path()).read_bytes() == Path(download.path()).read_bytes()
    assert not ImportUpload.objects.exists() and not ExportJob.objects.exists()
    assert Member.objects.count() == 0

    # when: the clerk fixes the two rows in that file and uploads it again
    rows[2][1], rows[2][6] = numbers[1], "2024-03-01"
    rows[3][3] = tree.zhili_factory.code
    fixed = tmp_path / "名册-改正.csv"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    fixed.write_bytes(out.getvalue().encode("utf-8-sig"))
    page.goto(f"{base}/admin/members/member/import/")
    page.select_option("select[name=format]", index=1)
    page.set_input_files("input[name=import_file]", str(fixed))
    page.click("input[type=submit].default")
    page.locator("form#confirm-form, form[action$='process_import/']").first.wait_for()
    page.locator("form[action$='process_import/'] input[type=submit]").click()
    page.wait_for_url("**/admin/members/member/")

    # then
    assert Member.objects.count() == 3
