"""End-to-end fixtures: the real service started as ``make run`` starts it in a fresh
checkout (``rectify db init``, ``rectify demo``, ``rectify serve`` in dev, everything under
``var/`` of a temporary directory), driven by Debian's headless Chromium through Playwright.

The demo writes its own calendar around the day it loads, so the suite runs on any day of
the year: the rectification phase is under way and ends 40 days from now. ``make test``
installs Chromium when it is missing and runs as root; otherwise the suite fails saying what
to install (it never skips).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from infrastructure.demo_calendar import DEMO_CAMPAIGN_FILE
from tests.e2e.console import Service, log_in

CHROMIUM = Path(os.environ.get("RECTIFY_E2E_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _rectification_end(calendar: Path) -> date:
    """The end of the rectification phase in the calendar the demo wrote for itself."""
    milestones = json.loads(calendar.read_text(encoding="utf-8"))["milestones"]
    due = next(m["due"] for m in milestones if m["code"] == "rectification_end")
    return date.fromisoformat(due)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"rectify serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"rectify serve did not answer /healthz:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    directory = tmp_path_factory.mktemp("e2e")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the campaign's time zone
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env |= {  # as `make run` starts it in a fresh checkout: var/ under the directory
        "RECTIFY_ENV": "dev",
        "RECTIFY_HOST": "127.0.0.1",
        "RECTIFY_PORT": str(port),
        "RECTIFY_LOG_FORMAT": "json",
        "RECTIFY_RATE_LIMIT_PER_MINUTE": "100000",
    }
    rectify = str(Path(sys.executable).with_name("rectify"))
    for command in (["db", "init"], ["demo"]):
        subprocess.run([rectify, *command], env=env, cwd=directory, check=True, capture_output=True)
    log = directory / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [rectify, "serve"], env=env, cwd=directory, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield Service(
            base=base,
            today=today,
            rectification_end=_rectification_end(directory / DEMO_CAMPAIGN_FILE),
            log=log,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package "
            "(make test does it when run as root) or set RECTIFY_E2E_CHROMIUM"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


OpenAs = Callable[..., Page]


@pytest.fixture
def open_as(browser: Browser, service: Service) -> Iterator[OpenAs]:
    """A signed-in page per account, each in its own browser context (its own cookies)."""
    contexts = []

    def open_page(
        username: str, *, width: int = 1366, height: int = 768, keyboard: bool = False
    ) -> Page:
        context = browser.new_context(
            base_url=service.base,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username, keyboard=keyboard)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
