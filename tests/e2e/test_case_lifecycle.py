"""A case's whole life in the browser: an office records and plans it, the coordination
office and Finance approve, the office rectifies with a file, another coordinator verifies;
the dashboard, the ledgers and the case's timeline show it, with every actor."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenAs
from tests.e2e.console import (
    Service,
    answer_next_dialog,
    item_card,
    notice_of,
    office_counts,
    open_action,
    submit,
)

EVIDENCE = b"%PDF-1.4\n% rectification photos of the disposed equipment\n%%EOF\n"


def record_problem(clerk: Page, title: str) -> str:
    """The clerk records a problem; a first try without a title is refused in Chinese."""
    clerk.goto("/issues/new")
    form = clerk.locator("form[action='/issues/new']")
    submit(form)
    expect(clerk.locator("#title-error")).to_have_text("请填写问题标题。")
    expect(clerk.locator("#kind-error")).to_have_text("请选择问题类别。")
    form = clerk.locator("form[action='/issues/new']")
    form.locator("#office").select_option("bj")
    form.locator("#kind").select_option("disposal/disposal_without_approval")
    form.locator("#source").select_option("self_inspection")
    form.locator("#title").fill(title)
    form.locator("#description").fill("2台办公电脑未经审批报废处置，未履行报批程序。")
    form.locator("#assets").fill("ZC-BJ-901 办公电脑")
    submit(form)
    assert notice_of(clerk) == "问题已登记。"
    return clerk.url.split("?")[0]


def plan_item(clerk: Page, service: Service, measure: str) -> None:
    """A deadline after the campaign's end is refused with the reason; then the plan is kept."""
    form = open_action(clerk, "items")
    form.locator("[name=measure]").fill(measure)
    form.locator("[name=measure_type]").select_option("conduct")
    form.locator("[name=responsible]").fill("张伟")
    form.locator("[name=involves]").select_option("disposal")
    too_late = service.rectification_end + timedelta(days=5)
    form.locator("[name=deadline]").fill(too_late.isoformat())
    submit(form)
    refused = clerk.locator("details[data-action='items'] .alert.error")
    expect(refused).to_contain_text("完成时限不能晚于分类整改阶段结束日")
    expect(refused).to_contain_text(service.rectification_end.isoformat())
    form = open_action(clerk, "items")
    expect(form.locator("[name=measure]")).to_have_value(measure)  # kept for correction
    form.locator("[name=deadline]").fill((service.today + timedelta(days=10)).isoformat())
    submit(form)
    assert notice_of(clerk) == "整改事项已制定。"
    expect(item_card(clerk, measure).locator(".item-head .status")).to_have_text("待报审")


def exported_measures(path: Path) -> list[str]:
    """The 整改措施 column of an exported 整改台账 (the rows under its header)."""
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    rows = [[str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    header = next(n for n, r in enumerate(rows) if "整改措施" in r)
    column = rows[header].index("整改措施")
    return [r[column] for r in rows[header + 1 :] if r[column]]


def decide(page: Page, case_url: str, measure: str, action: str, choice: str, text: str) -> None:
    page.goto(case_url)
    form = open_action(item_card(page, measure), action)
    form.locator(f"input[name=decision][value={choice}]").check()
    form.locator("[name=comment]").fill(text)
    submit(form)


def test_a_case_goes_from_finding_to_verification_in_the_browser(
    open_as: OpenAs, service: Service, screenshots: Path
) -> None:
    suffix = uuid4().hex[:6]
    title = f"北京办事处未经审批处置办公设备（E2E {suffix}）"
    measure = f"补办资产处置审批手续并追回处置收入（E2E {suffix}）"
    clerk = open_as("bj-clerk", keyboard=True)
    verified_before, total_before = office_counts(clerk, "bj")

    case_url = record_problem(clerk, title)
    plan_item(clerk, service, measure)
    submit(open_action(item_card(clerk, measure), "approval-request"))
    assert notice_of(clerk) == "已提交审批。"
    card = item_card(clerk, measure)
    expect(card.locator(".item-head .status")).to_have_text("审批中")
    expect(card.locator("details[data-action='approval']")).to_have_count(0)

    coord = open_as("coord")
    decide(coord, case_url, measure, "approval", "approve", "同意整改方案")
    assert notice_of(coord) == "审批意见已记录。"
    card = item_card(coord, measure)
    expect(card.locator(".item-head .status")).to_have_text("审批中")
    expect(card.locator(".approvals")).to_contain_text("协调办已批准")
    expect(card.locator(".approvals")).to_contain_text("财政厅待审批")

    finance = open_as("finance")
    decide(finance, case_url, measure, "approval", "approve", "同意，按规定履行报批程序")
    expect(item_card(finance, measure).locator(".item-head .status")).to_have_text("已批准")

    clerk.goto(case_url)
    form = open_action(item_card(clerk, measure), "rectification")
    form.locator("[name=description]").fill("已补办处置审批手续，处置收入已上缴国库。")
    form.locator("input[name=files]").set_input_files(
        [{"name": "处置审批及收入上缴凭证.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}]
    )
    submit(form)
    assert notice_of(clerk) == "整改情况已录入，等待核查。"
    card = item_card(clerk, measure)
    expect(card.locator(".item-head .status")).to_have_text("已整改待核查")
    link = card.locator(".evidence a")
    expect(link).to_have_text("处置审批及收入上缴凭证.pdf")
    fetched = clerk.context.request.get(str(link.get_attribute("href")))
    assert fetched.status == 200
    assert fetched.body() == EVIDENCE
    expect(card.locator("details[data-action='verification']")).to_have_count(0)

    verifier = open_as("coord2")
    asked = answer_next_dialog(verifier, accept=False)  # asked first: it cannot be undone
    decide(verifier, case_url, measure, "verification", "pass", "经核查，整改到位")
    assert asked == ["核查结果将记入办理记录，提交后不能修改。确定提交吗？"]
    expect(item_card(verifier, measure).locator(".item-head .status")).to_have_text("已整改待核查")
    answer_next_dialog(verifier, accept=True)
    decide(verifier, case_url, measure, "verification", "pass", "经核查，整改到位")
    assert notice_of(verifier) == "核查结果已记录。"
    expect(item_card(verifier, measure).locator(".item-head .status")).to_have_text("核查通过")
    expect(verifier.locator("h1 .status")).to_have_text("已销号")

    timeline = verifier.locator("section").filter(has=verifier.locator("#timeline-h"))
    for actor, role in (
        ("刘经办（北京办）", "办事处经办人"),
        ("王协调（国资处）", "协调办工作人员"),
        ("赵审核（财政厅）", "财政厅审核人"),
        ("李督办（国资处）", "协调办工作人员"),
    ):
        expect(timeline.locator(".event").filter(has_text=actor).first).to_contain_text(role)
    expect(timeline).to_contain_text("同意整改方案")
    expect(timeline).to_contain_text("经核查，整改到位")
    verifier.screenshot(path=str(screenshots / "case.png"), full_page=True)

    clerk.goto(f"/items?q={measure}")
    rows = clerk.locator("table.ledger tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".status")).to_have_text("核查通过")
    with clerk.expect_download() as exported:
        clerk.locator(".ledger-bar a[download]").click()
    assert exported_measures(exported.value.path()) == [measure]
    clerk.goto(f"/issues?q={title}")
    expect(clerk.locator("table.ledger tbody tr .status")).to_have_text("已销号")
    assert office_counts(clerk, "bj") == (verified_before + 1, total_before + 1)
    for path, name in (
        ("/", "dashboard"),
        ("/items", "ledger-items"),
        ("/issues", "ledger-issues"),
    ):
        verifier.goto(path)
        verifier.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
