"""Notices and reports in the browser: the coordination office drafts a notice from the
accountability records, edits and issues it; offices read it; files download as DOCX and
PDF; an office submits its rectification report."""

from __future__ import annotations

from uuid import uuid4

from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenAs, Service
from tests.e2e.console import answer_next_dialog, notice_of


def downloads(page: Page, base: str) -> None:
    """The DOCX and PDF behind a page's links are real documents."""
    for fmt, magic in (("docx", b"PK\x03\x04"), ("pdf", b"%PDF-")):
        answer = page.context.request.get(f"{base}.{fmt}")
        assert answer.status == 200, fmt
        assert answer.body().startswith(magic), fmt


def test_a_notice_is_drafted_edited_issued_and_read_by_the_offices(
    open_as: OpenAs, service: Service
) -> None:
    coord = open_as("coord")
    coord.goto("/notices")
    form = coord.locator("form[action='/notices']")
    form.locator("button[type=submit]").click()
    expect(coord.locator("#records-error")).to_have_text("请至少选择一项要通报的问责记录。")
    form = coord.locator("form[action='/notices']")
    form.locator("label.record", has_text="弄虚作假").first.locator("input").check()
    form.locator("label.record", has_text="整改成效不明显").first.locator("input").check()
    form.locator("button[type=submit]").click()
    assert notice_of(coord) == "通报草稿已生成，请核对正文。"
    notice_url = coord.url.split("?")[0]
    expect(coord.locator(".notice-text .body")).to_contain_text("弄虚作假")

    edit = coord.locator("form[action$='/edit']")
    body = edit.locator("[name=body]")
    body.fill(body.input_value() + "\n请各办事处引以为戒，举一反三。")
    edit.locator("[name=reason]").fill("补充工作要求")
    edit.locator("button[type=submit]").click()
    assert notice_of(coord) == "修改已保存。"
    expect(coord.locator(".notice-text .body")).to_contain_text("请各办事处引以为戒")

    issue = coord.locator("form[action$='/issue']")
    issue.locator("button[type=submit]").click()
    expect(coord.locator("#issue-number-error")).to_have_text("请填写文号。")
    number = f"机管国资〔{service.today.year}〕{uuid4().int % 900 + 100}号"  # the issue year
    coord.locator("#issue-number").fill(number)
    asked = answer_next_dialog(coord, accept=False)
    coord.keyboard.press("Enter")  # the keyboard alone sends the form, once confirmed
    assert asked == ["印发后通报不能再修改，所填文号即被占用。确定印发吗？"]
    expect(coord.locator(".number")).not_to_have_text(number)  # still a draft
    answer_next_dialog(coord, accept=True)
    coord.keyboard.press("Enter")
    expect(coord.locator(".alert.ok")).to_have_text("通报已印发。")
    expect(coord.locator(".number")).to_have_text(number)
    expect(coord.locator("form[action$='/issue']")).to_have_count(0)
    downloads(coord, notice_url)

    office = open_as("gz-clerk")
    expect(office.locator("section", has_text="最新通报")).to_contain_text(number)
    office.goto("/notices")
    office.locator("table a", has_text="通报").first.click()
    expect(office.locator(".number")).to_have_text(number)
    expect(office.locator("form[action$='/edit']")).to_have_count(0)
    downloads(office, office.url.split("?")[0])


def test_an_office_submits_its_report_and_downloads_it(open_as: OpenAs) -> None:
    clerk = open_as("sz-clerk")
    clerk.goto("/reports")
    preview = clerk.context.request.get("/reports/preview.pdf?office=sz")
    assert preview.status == 200
    assert preview.body().startswith(b"%PDF-")
    asked = answer_next_dialog(clerk, accept=True)
    clerk.locator("form[action='/reports'] button[type=submit]").click()
    expect(clerk.locator(".alert.ok")).to_contain_text("报告已报送并记录")
    assert asked == ["报送后报告文件不能再修改。确定报送吗？"]
    row = clerk.locator("table tbody tr", has_text="深圳办事处").first
    expect(row).to_be_visible()
    href = row.locator("a", has_text="PDF").get_attribute("href")
    assert href is not None
    downloads(clerk, href.removesuffix(".pdf"))
