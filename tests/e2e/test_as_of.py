"""The "as of" picker: a case and a ledger as they stood at the end of an earlier day."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenAs
from tests.e2e.console import first_link


def day_of(page: Page, selector: str) -> str:
    stamp = page.locator(selector).first.get_attribute("datetime")
    assert stamp is not None
    return stamp[:10]


def count_of(page: Page) -> int:
    found = re.search(r"共\s*(\d+)\s*条", page.locator("p.count").inner_text())
    assert found is not None
    return int(found.group(1))


def test_the_as_of_picker_shows_a_case_and_a_ledger_as_they_were(open_as: OpenAs) -> None:
    coord = open_as("coord")
    coord.goto(first_link(coord, "/issues?status=closed&sort=found_on"))
    expect(coord.locator("h1 .status")).to_have_text("已销号")
    found_on = day_of(coord, "section .timeline time")
    planned_on = day_of(coord, "article.item .timeline time")
    assert found_on < planned_on

    coord.fill("#case-as-of", planned_on)
    coord.locator("form.as-of button").click()
    expect(coord.locator(".alert.info .as-of")).to_have_text(f"{planned_on} 日终")
    expect(coord.locator("h1 .status")).to_have_text("整改中")
    expect(coord.locator("article.item .item-head .status")).to_have_text("待报审")
    expect(coord.locator("details.action")).to_have_count(0)

    coord.fill("#case-as-of", found_on)
    coord.locator("form.as-of button").click()
    expect(coord.locator("article.item")).to_have_count(0)
    expect(coord.locator("main")).to_contain_text("尚未制定整改事项")

    before = (date.fromisoformat(found_on) - timedelta(days=1)).isoformat()
    coord.fill("#case-as-of", before)
    coord.locator("form.as-of button").click()
    expect(coord.locator("main .lead")).to_have_text(
        f"该问题在 {before} 日终时尚未登记（登记于 {found_on}）。"
    )
    coord.locator("main a", has_text="查看该问题的当前情况").click()  # not a dead end
    expect(coord.locator("article.item .item-head .status")).to_have_count(1)
    expect(coord).not_to_have_url(re.compile(r"as_of="))

    coord.goto("/items")
    now = count_of(coord)
    coord.fill("#f-as-of", planned_on)
    coord.locator("form.filters button[type=submit]").click()
    expect(coord.locator(".ledger-bar .as-of")).to_contain_text(planned_on)
    assert count_of(coord) < now
    coord.locator(".ledger-bar a", has_text="查看当前").click()
    assert count_of(coord) == now
