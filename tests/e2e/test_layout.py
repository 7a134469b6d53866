"""Every page is readable at 1366×768 and on a phone: nothing wider than the screen, and the
keyboard reaches the content first."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenAs
from tests.e2e.console import first_link

PAGES = ("/", "/issues", "/items", "/notices", "/reports", "/audit", "/issues/new", "/office-work")


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_pages_fit_a_laptop_and_a_phone(open_as: OpenAs, screenshots: Path) -> None:
    for width, height, name in ((1366, 768, "laptop"), (390, 844, "phone")):
        page = open_as("coord", width=width, height=height)
        case = first_link(page, "/items?status=rectified")
        for path in (*PAGES, case):
            page.goto(path)
            assert fits(page), f"{path} is wider than {width}px"
        if name == "phone":
            page.screenshot(path=str(screenshots / "phone-case.png"), full_page=True)
            page.goto("/")
            page.screenshot(path=str(screenshots / "phone-dashboard.png"), full_page=True)


def test_the_keyboard_skips_to_the_content_and_opens_the_account_menu(open_as: OpenAs) -> None:
    page = open_as("bj-clerk")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.locator("details.account summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.account .menu")).to_contain_text("办事处经办人 · 北京办事处")
    page.keyboard.press("Escape")
    expect(page.locator("details.account .menu")).to_be_hidden()
