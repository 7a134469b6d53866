"""What each account may reach: another office's case is 未找到 (as the API's 404); an
auditor reads everything, moves no case, and runs the integrity verification."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import OpenAs
from tests.e2e.console import first_link


def test_a_clerk_cannot_reach_another_offices_case_by_url(open_as: OpenAs) -> None:
    bj = open_as("bj-clerk")
    case = first_link(bj, "/items?office=bj&status=approval_requested")
    issue_url = case.split("#")[0]
    item_url = "/items/" + case.split("#item-")[1]
    bj.goto(issue_url)
    expect(bj.locator("article.item").first).to_be_visible()

    sh = open_as("sh-clerk")
    for url in (issue_url, item_url, issue_url + "?as_of=2026-01-01"):
        answer = sh.goto(url)
        assert answer is not None
        assert answer.status == 404, url
        expect(sh.locator("h1")).to_have_text("未找到")
        expect(sh.locator("main")).not_to_contain_text("北京办事处")

    token = sh.locator("input[name=csrf_token]").first.get_attribute("value")
    forged = sh.context.request.post(
        item_url + "/approval", form={"csrf_token": str(token), "decision": "approve"}
    )
    assert forged.status == 404

    sh.goto("/issues?office=bj")
    expect(sh.locator(".alert.warn")).to_have_text("请选择您可查看的单位。")
    expect(sh.locator("table.ledger")).not_to_contain_text("北京办事处")


def test_an_auditor_sees_no_write_action_and_can_verify_the_log(open_as: OpenAs) -> None:
    auditor = open_as("auditor")
    nav = auditor.locator("nav.nav")
    expect(nav).to_contain_text("审计")
    expect(nav).not_to_contain_text("登记问题")
    expect(nav).not_to_contain_text("导入自查表")

    for status in ("approval_requested", "approved", "planned"):
        auditor.goto(first_link(auditor, f"/items?status={status}"))
        expect(auditor.locator("details.action")).to_have_count(0)
        expect(auditor.locator("main form[method=post]")).to_have_count(0)
    expect(nav).not_to_contain_text("专班与自查")
    auditor.goto("/issues/new")
    expect(auditor.locator("h1")).to_have_text("无权操作")
    expect(auditor.locator("main")).to_contain_text("您的账号不能登记问题")
    auditor.goto("/notices")
    expect(auditor.locator("form[action='/notices']")).to_have_count(0)

    # Oversight: the policy lets an auditor flag claimed work as falsified,
    # and nothing else on a rectified item.
    auditor.goto(first_link(auditor, "/items?status=rectified"))
    actions = auditor.locator("details.action")
    expect(actions).to_have_count(1)
    expect(actions).to_have_attribute("data-action", "falsification")

    auditor.goto("/audit")
    auditor.locator("form[action='/audit/verify'] button").click()
    result = auditor.locator(".verify-result")
    expect(result.locator("p").first).to_contain_text("哈希链完整")
    expect(result).to_contain_text("均与记录的 SHA-256 一致")
    expect(result).to_have_class(re.compile(r"\bok\b"))
    auditor.goto("/audit?actor=coord2")
    actors = auditor.locator("table.audit-log tbody tr td:nth-child(3)")
    expect(actors.first).to_have_text("李督办（国资处）")
    assert set(actors.all_inner_texts()) == {"李督办（国资处）"}
