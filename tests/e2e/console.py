"""What a person does in the console, as steps the end-to-end tests read like a script."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playwright.sync_api import Dialog, Locator, Page, expect

PASSWORD = "demo"


@dataclass(frozen=True)
class Service:
    base: str
    today: date
    rectification_end: date
    log: Path


def log_in(page: Page, username: str, *, keyboard: bool = False) -> None:
    """Sign in on the login form; with ``keyboard`` only keys are used (Tab, Enter)."""
    page.goto("/login")
    if keyboard:
        expect(page.locator("#username")).to_be_focused()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
    else:
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("工作台")


def item_card(page: Page, measure: str) -> Locator:
    return page.locator("article.item").filter(has_text=measure)


def open_action(scope: Page | Locator, action: str) -> Locator:
    """The form of one action (its <details> opened); fails if the account lacks it."""
    details = scope.locator(f"details[data-action='{action}']")
    expect(details).to_have_count(1)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def submit(form: Locator) -> None:
    form.locator("button[type=submit]").click()
    form.page.wait_for_load_state()


def answer_next_dialog(page: Page, *, accept: bool) -> list[str]:
    """Answer the next confirmation the page asks (Playwright would dismiss it unasked):
    the list it returns gets the question's text."""
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return asked


def notice_of(page: Page) -> str:
    """The page's confirmation after a successful form."""
    return page.locator(".alert.ok").inner_text()


def first_link(page: Page, path: str, selector: str = "table.ledger tbody a") -> str:
    page.goto(path)
    href = page.locator(selector).first.get_attribute("href")
    assert href is not None
    return href


def case_id_of(href: str) -> str:
    found = re.search(r"/issues/([0-9a-f-]{36})", href)
    assert found is not None, href
    return found.group(1)


def office_counts(page: Page, office: str) -> tuple[int, int]:
    """(verified, total) of an office's row on the dashboard."""
    page.goto("/")
    text = page.locator(f"tr[data-office='{office}'] .pct").inner_text()
    found = re.match(r"\s*(\d+)/(\d+)", text)
    assert found is not None, text
    return int(found.group(1)), int(found.group(2))
