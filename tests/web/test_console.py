"""The console's edges: who gets in, forms that are refused, what the pages may load, and
how a refusal reads — in Chinese, with the form kept, recording nothing."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.conftest import CAMPAIGN_NOW
from tests.web.conftest import Console

PAGES = ("/", "/issues", "/items", "/issues/new", "/notices", "/reports", "/import", "/office-work")


def test_a_page_without_a_session_leads_to_the_sign_in_form(console: Console) -> None:
    answer = console.client.get("/items?status=planned", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fitems%3Fstatus%3Dplanned"


def test_an_ended_session_says_so_and_a_form_leads_back_to_its_page(console: Console) -> None:
    """A form sent after the session ended is not recorded; the sign-in page says so, and
    signing in leads back to the page the form was on, not to the dashboard."""
    issue_id, item_id = console.world.planned_item()
    console.settle()
    before = console.world.last_position()
    csrf = console.csrf()
    console.client.cookies.set("rectify_session", "ended-or-forged")
    page = f"http://testserver/issues/{issue_id}"

    sent = console.client.post(
        f"/items/{item_id}/approval-request",
        data={"version": "1", "csrf_token": csrf},
        headers={"Referer": page},
        follow_redirects=False,
    )
    unreferred = console.client.post(
        f"/items/{item_id}/approval-request",
        data={"version": "1", "csrf_token": csrf},
        follow_redirects=False,
    )
    refused_form = console.client.post(
        f"/items/{item_id}/approval-request",
        data={"version": "1", "csrf_token": csrf},
        headers={"Referer": f"http://testserver/items/{item_id}/approval-request"},
        follow_redirects=False,
    )
    opened = console.client.get("/items", follow_redirects=False)

    assert sent.status_code == 303
    assert sent.headers["location"] == f"/login?next=%2Fissues%2F{issue_id}&expired=form"
    assert unreferred.headers["location"] == "/login?next=%2F&expired=form"
    assert refused_form.headers["location"] == "/login?next=%2F&expired=form"  # POST-only
    assert opened.headers["location"] == "/login?next=%2Fitems&expired=page"
    shown = console.client.get(sent.headers["location"]).text
    assert "登录已过期，刚才提交的内容没有保存" in shown
    assert f'name="next" value="/issues/{issue_id}"' in shown
    assert console.world.last_position() == before


def test_a_session_that_timed_out_is_told_so(console: Console) -> None:
    """The cookie outlives its token, so a browser back after the token expired still says
    who it was, and the sign-in page can say the session ended."""
    console.log_in("bj-clerk")
    console.world.clock.set(console.world.clock.now() + timedelta(days=2))

    opened = console.client.get("/items", follow_redirects=False)

    assert opened.headers["location"] == "/login?next=%2Fitems&expired=page"


def test_signing_in_sets_an_httponly_samesite_session_and_records_the_sign_in(
    console: Console,
) -> None:
    before = console.world.last_position()
    answer = console.client.post(
        "/login",
        data={"username": "bj-clerk", "password": "secret", "csrf_token": console.csrf()},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookie = next(v for k, v in answer.headers.multi_items() if v.startswith("rectify_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert console.world.last_position() == before + 1  # the audited LoggedIn event


def test_a_wrong_password_is_refused_in_chinese(console: Console) -> None:
    answer = console.client.post(
        "/login",
        data={"username": "bj-clerk", "password": "wrong", "csrf_token": console.csrf()},
    )
    assert answer.status_code == 401
    assert "用户名或密码不正确" in answer.text
    assert "rectify_session" not in answer.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_or_from_elsewhere_records_nothing(
    console: Console,
) -> None:
    console.log_in("bj-clerk")
    before = console.world.last_position()
    fields = {"office": "bj", "kind": "use/misuse", "source": "self_inspection", "title": "t"}
    missing = console.client.post("/issues/new", data=fields)
    assert missing.status_code == 403
    assert "表单已过期或来源不明" in missing.text
    elsewhere = console.post("/issues/new", fields, headers={"Origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    assert console.world.last_position() == before


def test_pages_load_nothing_from_outside_the_service(console: Console) -> None:
    console.log_in("coord")
    for path in PAGES:
        answer = console.client.get(path)
        assert answer.status_code in (200, 403, 404), path  # 403: not this account's page
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", answer.text), path


def test_bad_filters_are_named_in_chinese_and_the_ledger_still_shows(console: Console) -> None:
    console.log_in("coord")
    answer = console.client.get(
        "/items?page=abc&as_of=2026-13-01&sort=zzz&light=purple&overdue=maybe"
    )
    assert answer.status_code == 200
    for warning in ("页码无效", "查询日期不是有效的日期", "排序方式无效", "红黄绿灯取值无效"):
        assert warning in answer.text
    assert "“只看逾期”取值无效" in answer.text


def test_a_page_past_the_last_says_so_and_leads_back(console: Console) -> None:
    console.world.issue()
    console.settle()
    console.log_in("bj-clerk")

    past = console.client.get("/issues", params={"page": "999", "status": "open"}).text

    assert "第 999 页没有记录（共 1 页）。" in past
    assert '<a href="/issues?status=open&amp;page=1">回到第 1 页</a>' in past


def test_a_day_or_page_no_ledger_holds_is_named_on_the_page(console: Console) -> None:
    console.world.issue()
    console.settle()
    console.log_in("bj-clerk")

    ancient = console.client.get("/issues", params={"as_of": "0001-01-01"})
    far = console.client.get("/items", params={"page": "5000000"})

    assert ancient.status_code == 200
    assert "查询日期应在1970年至9000年之间。" in ancient.text
    assert far.status_code == 200
    assert "页码无效" in far.text


def test_a_refused_plan_shows_the_reason_in_chinese_and_keeps_the_form(
    console: Console,
) -> None:
    issue = console.world.issue()
    console.settle()
    console.log_in("bj-clerk")
    before = console.world.last_position()
    yesterday = (console.world.today() - timedelta(days=1)).isoformat()
    plan = {
        "measure": "全面清查并补登台账",
        "measure_type": "basic_management",
        "responsible": "张伟",
        "deadline": yesterday,
        "involves": "none",
        "version": "1",
    }
    answer = console.post(f"/issues/{issue.id}/items", plan)
    assert answer.status_code == 422
    assert "完成时限不能早于今天。" in answer.text
    assert 'value="全面清查并补登台账"' in answer.text or ">全面清查并补登台账<" in answer.text
    assert console.world.last_position() == before


def test_a_form_sent_twice_records_once_and_a_stale_one_is_refused(console: Console) -> None:
    _, item_id = console.world.planned_item()
    console.settle()
    console.log_in("bj-clerk")
    form = {"form_id": "a" * 32, "version": "1"}
    first = console.post(f"/items/{item_id}/approval-request", form, follow_redirects=False)
    assert first.status_code == 303
    position = console.world.last_position()
    again = console.post(f"/items/{item_id}/approval-request", form, follow_redirects=False)
    assert again.status_code == 303
    assert console.world.last_position() == position

    plan = {
        "measure": "改为委托第三方清查",
        "measure_type": "basic_management",
        "responsible": "张伟",
        "deadline": (console.world.today() + timedelta(days=20)).isoformat(),
        "involves": "none",
    }
    stale = console.post(f"/items/{item_id}/replan", {**plan, "version": "1"})
    assert stale.status_code == 412  # the page was read at version 1; the item moved on
    assert "该事项刚刚已被他人更新" in stale.text
    current = console.post(f"/items/{item_id}/replan", {**plan, "version": "2"})
    assert current.status_code == 409  # read afresh: now the state refuses a re-plan
    assert "事项当前状态为“审批中”，不能执行此操作。" in current.text
    assert console.world.last_position() == position


@pytest.mark.parametrize("version", ["abc", "-1", "１", "9" * 30])
def test_a_version_no_page_made_is_refused_not_read_as_any_version(
    console: Console, version: str
) -> None:
    _, item_id = console.world.planned_item()
    console.settle()
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post(f"/items/{item_id}/approval-request", {"version": version})

    assert answer.status_code == 422
    assert "页面信息不完整或已被改动，请刷新页面" in answer.text
    assert console.world.last_position() == before


def test_another_offices_case_and_its_forms_are_not_found(console: Console) -> None:
    issue_id, item_id = console.world.planned_item(office="bj")
    console.settle()
    console.log_in("sh-clerk")
    for path in (f"/issues/{issue_id}", f"/items/{item_id}"):
        answer = console.client.get(path)
        assert answer.status_code == 404
        assert "未找到" in answer.text
    before = console.world.last_position()
    posted = console.post(f"/items/{item_id}/approval-request", {"version": "1"})
    assert posted.status_code == 404
    assert console.world.last_position() == before


def test_a_mistyped_address_is_a_page_and_the_apis_own_paths_keep_their_404(
    console: Console,
) -> None:
    console.log_in("coord")
    page = console.client.get("/no-such-page")
    assert page.status_code == 404
    assert "未找到" in page.text
    api = console.client.get("/api/no-such-route")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_the_xlsx_of_a_ledger_holds_the_rows_its_filters_select(console: Console) -> None:
    console.world.planned_item(office="bj")
    console.world.planned_item(office="tj")
    console.settle()
    console.log_in("bj-clerk")
    answer = console.client.get("/ledgers/items.xlsx?office=tj")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "天津办事处" in cells
    assert "北京办事处" not in cells
    assert console.client.get("/ledgers/nothing.xlsx").status_code == 404


def test_the_measure_ledger_says_when_its_export_adds_problems_without_measures(
    console: Console,
) -> None:
    console.world.planned_item(office="bj")
    console.world.issue(title="尚无措施的问题")
    console.settle()
    console.log_in("bj-clerk")
    note = "尚未制定整改措施的问题也各占一行"

    plain = console.client.get("/items").text
    by_status = console.client.get("/items", params={"status": "planned"}).text
    problems = console.client.get("/issues").text
    sheet = load_workbook(io.BytesIO(console.client.get("/ledgers/items.xlsx").content)).active
    assert sheet is not None

    assert "共 <strong>1</strong> 条" in plain
    assert note in plain
    assert sheet.max_row == 2 + 2  # title and header, the measure, the problem without one
    assert note not in by_status
    assert note not in problems


def test_a_form_this_page_does_not_offer_says_why_even_when_its_fields_are_wrong(
    console: Console,
) -> None:
    """A clerk's stale or hand-made verification of an approved item: no verification form
    is on the page, so "请选择决定" would have nowhere to show; the page says the action is
    not available, and nothing is recorded."""
    _, item_id = console.world.approved_item()
    console.settle()
    version = console.world.app.get_item(console.world["bj-clerk"], item_id).version
    console.log_in("bj-clerk")
    before = console.world.last_position()

    for fields in ({}, {"decision": "bogus"}):
        answer = console.post(f"/items/{item_id}/verification", {"version": version, **fields})

        assert answer.status_code == 409
        assert "此操作当前不可用" in answer.text
    assert console.world.last_position() == before


def test_drafting_a_notice_without_the_role_is_refused_in_words(console: Console) -> None:
    for account in ("bj-clerk", "auditor"):
        console.log_in(account)
        before = console.world.last_position()

        answer = console.post("/notices", {"records": "lagging:sz:work_group_named"})

        assert answer.status_code == 403
        assert "您的角色无权执行此操作" in answer.text
        assert console.world.last_position() == before
    assert "全部通报" in console.client.get("/notices").text  # the auditor reads drafts too
    console.log_in("bj-clerk")
    assert "印发给本单位的通报" in console.client.get("/notices").text


def test_an_account_that_records_no_problems_is_told_so_on_the_new_problem_page(
    console: Console,
) -> None:
    """The page exists: 未找到 would send an auditor looking for a broken link."""
    console.log_in("auditor")

    page = console.client.get("/issues/new")

    assert page.status_code == 403
    assert "您的账号不能登记问题" in page.text
    assert "未找到" not in page.text


def test_an_account_that_reads_no_office_is_told_why_its_pages_are_empty(
    console: Console,
) -> None:
    console.log_in("admin")
    admin = console.client.get("/issues").text
    console.log_in("coord")
    coord = console.client.get("/issues").text

    assert "本账号不能查看任何单位的案件" in admin
    assert "本账号不能查看任何单位的案件" not in coord


def test_the_notices_page_names_each_notices_addressees_and_records_notified_already(
    console: Console,
) -> None:
    world = console.world
    world.item(world.issue().id, measure="补登台账", deadline=world.today() + timedelta(days=1))
    world.clock.set(CAMPAIGN_NOW + timedelta(days=5))
    record = next(c["id"] for c in world.app.accountability_candidates(world["coord"]))
    to_all = world.app.draft_notice(world["coord"], record_ids=[record]).id
    world.app.issue_notice(world["coord"], to_all, number="机管国资〔2026〕12号")
    world.app.draft_notice(world["coord"], record_ids=[record], recipients=["bj", "tj"])
    console.settle()
    console.log_in("coord")

    page = console.client.get("/notices").text

    assert '<th scope="col">主送</th>' in page
    assert "省政府各驻外办事处" in page
    assert "北京办事处、天津办事处" in page
    assert f'（已通报：<a href="/notices/{to_all}">机管国资〔2026〕12号</a>）' in page


def test_units_are_listed_in_the_campaigns_order_as_its_documents_list_them(
    console: Console,
) -> None:
    console.log_in("bj-clerk")

    page = console.client.get("/").text

    assert "可查看：北京办事处、天津办事处、西安办事处、山东办事处" in page


def test_the_reports_list_counts_the_problems_a_report_covers(console: Console) -> None:
    """Not only those it marked reported: a problem reported before is covered too."""
    world = console.world
    _, item_id = world.rectified_item()
    world.app.record_verification(world["coord2"], item_id, passed=True)
    world.issue(office="tj", by="tj-clerk")
    world.app.submit_report(world["bj-clerk"], office="bj")
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get("/reports").text

    assert '<th scope="col">涵盖问题</th>' in page
    assert "<td>2个" in page
    assert "（本次报送时标记为已报告1个）" in page
    assert "北京办事处、天津办事处、西安办事处、山东办事处" in page
