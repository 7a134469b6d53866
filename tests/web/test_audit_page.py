"""The audit page: every account reads the log the API shows it (its offices' case events,
with the same filters); only coordinators and auditors verify the chain and handle digests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from application.ports import FixedClock
from tests.api.conftest import Api, open_api
from tests.builders import build_world, write_signing_key
from tests.conftest import database_url
from tests.web.conftest import Console

_POSITION = re.compile(r"<tr>\s*<td>(\d+)</td>")
_TOTAL = re.compile(r"共 <strong>(\d+)</strong> 条事件")
_OVERSIGHT_FORMS = ('action="/audit/verify"', 'action="/audit/digests"', "签名摘要")


@pytest.fixture
def audited(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Api]:
    """A world with a signing key and a case in bj and in sh, its views caught up."""
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("RECTIFY_SIGNING_KEY_FILE", str(write_signing_key(tmp_path)))
    world = build_world(database_url("sqlite", tmp_path, request), clock)
    world.approved_item(office="bj", by="bj-clerk")
    world.approved_item(office="sh", by="sh-clerk")
    world.container.projections.catch_up()
    yield from open_api(world)


@pytest.fixture
def web(audited: Api) -> Console:
    return Console(world=audited.world, client=audited.client)


def _issue_of(api: Api, clerk: str) -> str:
    return str(api.get(clerk, "/api/issues").json()["items"][0]["id"])


def _positions(html: str) -> list[int]:
    return [int(p) for p in _POSITION.findall(html)]


def test_an_office_clerk_reads_the_audit_log_of_its_own_offices_only(
    audited: Api, web: Console
) -> None:
    bj_issue, sh_issue = _issue_of(audited, "bj-clerk"), _issue_of(audited, "sh-clerk")
    web.log_in("bj-clerk")

    answer = web.client.get("/audit")

    assert answer.status_code == 200
    assert f"/issues/{bj_issue}" in answer.text
    assert sh_issue not in answer.text
    assert "只列出您可查看的单位的案件事件。" in answer.text


def _api_filters(web: Console, case: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(the page's query, the API's query) pairs that ask for the same events."""
    today = web.world.today()
    zone = ZoneInfo(web.world.container.campaign.timezone)
    day = {"since": today.isoformat(), "until": today.isoformat()}
    moments = {
        "from": datetime.combine(today, time.min, zone).isoformat(),
        "to": datetime.combine(today, time.max, zone).isoformat(),
    }
    return [
        ({}, {}),
        ({"actor": "coord"}, {"actor": "coord"}),
        ({"unit": "bj"}, {"unit": "bj"}),
        ({"case": case}, {"case": case}),
        (day, moments),
    ]


@pytest.mark.parametrize("account", ["bj-clerk", "sh-clerk", "coord", "auditor"])
def test_the_audit_page_lists_exactly_the_events_the_api_lists(
    audited: Api, web: Console, account: str
) -> None:
    web.log_in(account)
    for page_query, api_query in _api_filters(web, _issue_of(audited, "bj-clerk")):
        page = web.client.get("/audit", params=page_query)
        listed: dict[str, Any] = audited.get(
            account, "/api/audit/events", params={**api_query, "page_size": 50}
        ).json()

        assert page.status_code == 200, (account, page_query)
        assert _positions(page.text) == [e["position"] for e in listed["items"]], page_query
        found = _TOTAL.search(page.text)
        assert found is not None
        assert int(found.group(1)) == listed["total"], (account, page_query)


def test_an_office_clerk_finds_the_audit_log_in_the_menu(web: Console) -> None:
    web.log_in("bj-clerk")

    menu = web.client.get("/").text.split("</nav>")[0]

    assert 'href="/audit"' in menu


def test_an_office_clerk_sees_no_verification_or_digest_forms(web: Console) -> None:
    web.log_in("bj-clerk")

    answer = web.client.get("/audit")

    assert answer.status_code == 200
    assert "审计日志" in answer.text
    for part in _OVERSIGHT_FORMS:
        assert part not in answer.text, part


def test_an_office_clerk_is_still_refused_verification_and_digests(
    audited: Api, web: Console
) -> None:
    issued = audited.post("coord", "/api/audit/digests")
    assert issued.status_code == 201, issued.text
    digest_id = audited.get("coord", "/api/audit/digests").json()[0]["digest_id"]
    web.log_in("bj-clerk")
    before = web.world.last_position()

    refusals = [
        web.post("/audit/verify", {}),
        web.post("/audit/digests", {}),
        web.client.get(f"/audit/digests/{digest_id}.json"),
    ]

    for answer in refusals:
        assert answer.status_code == 403, answer.request.url
        assert "您的角色无权执行此操作" in answer.text
    assert web.world.last_position() == before


@pytest.mark.parametrize("account", ["coord", "auditor"])
def test_coordinators_and_auditors_still_verify_and_handle_digests(
    web: Console, account: str
) -> None:
    web.log_in(account)
    page = web.client.get("/audit")
    assert page.status_code == 200
    for part in _OVERSIGHT_FORMS:
        assert part in page.text, part
    assert "只列出您可查看的单位的案件事件。" not in page.text
    assert 'href="/audit"' in page.text.split("</nav>")[0]

    verified = web.post("/audit/verify", {})
    assert verified.status_code == 200
    assert "verify-result alert ok" in verified.text

    issued = web.post("/audit/digests", {})
    assert issued.status_code == 200
    assert "已生成摘要" in issued.text
    link = re.search(r'href="/audit/digests/([0-9a-f-]+)\.json"', issued.text)
    assert link is not None
    UUID(link.group(1))
    download = web.client.get(f"/audit/digests/{link.group(1)}.json")
    assert download.status_code == 200
    assert download.json()["position"] > 0


def test_a_partial_actor_name_gets_a_hint_and_an_unknown_unit_a_warning(web: Console) -> None:
    web.log_in("coord")

    partial = web.client.get("/audit", params={"actor": "王"}).text
    unknown_unit = web.client.get("/audit", params={"unit": "zz"}).text
    known = web.client.get("/audit", params={"actor": "coord", "unit": "admin-bureau"}).text

    assert "没有“王”的操作记录" in partial
    assert "账号名" in partial
    assert "没有代码为“zz”的单位" in unknown_unit
    assert "操作记录。请填写" not in known
    assert "的单位，请从列表中选择" not in known
    assert _positions(known)


def test_the_digest_form_sent_twice_issues_one_digest(audited: Api, web: Console) -> None:
    """A double click, or the result page refreshed, sends the same form again."""
    web.log_in("coord")
    page = web.client.get("/audit").text
    form_id = re.search(r'name="form_id" value="([0-9a-zA-Z]+)"', page)
    assert form_id is not None

    for _ in range(2):
        sent = web.post("/audit/digests", {"form_id": form_id.group(1)})
        assert "已生成摘要" in sent.text

    assert len(audited.get("coord", "/api/audit/digests").json()) == 1


def test_a_time_window_that_ends_before_it_starts_is_named(web: Console) -> None:
    web.log_in("coord")

    page = web.client.get("/audit", params={"since": "2026-10-09", "until": "2026-10-01"}).text

    assert "截止日期（2026-10-01）早于起始日期（2026-10-09）" in page
    assert _positions(page) == []


def test_an_unusable_signing_key_is_explained_without_its_path(
    audited: Api, web: Console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = audited.world.container
    broken = container.settings.model_copy(update={"signing_key_file": tmp_path})  # a folder
    monkeypatch.setattr(container, "settings", broken)
    web.log_in("coord")

    answer = web.post("/audit/digests", {})

    assert "服务的签名密钥不可用，请系统管理员检查签名密钥文件（RECTIFY_SIGNING_KEY_FILE）" in (
        answer.text
    )
    assert str(tmp_path) not in answer.text
    assert audited.get("coord", "/api/audit/digests").json() == []


def test_a_day_outside_the_services_years_is_named_not_a_500(web: Console) -> None:
    web.log_in("coord")

    page = web.client.get("/audit", params={"since": "0001-01-01"})

    assert page.status_code == 200
    assert "起始日期应在1970年至9000年之间。" in page.text


@pytest.mark.parametrize(
    ("params", "hint"),
    [
        ({"case": "notauuid"}, "案件编号应为问题或事项的编号（UUID）。"),
        ({"since": "2026/13/40"}, "起始日期"),
        ({"actor": "coord", "until": "2026-02-30"}, "截止日期"),
    ],
)
def test_a_filter_in_error_lists_nothing_rather_than_the_whole_log(
    web: Console, params: dict[str, str], hint: str
) -> None:
    """An auditor skimming would take the whole log for the filtered answer."""
    web.log_in("coord")
    assert _positions(web.client.get("/audit").text)

    page = web.client.get("/audit", params=params).text

    assert hint in page
    assert _positions(page) == []
    assert "没有符合条件的事件。" in page


def test_checking_digests_with_an_unusable_key_is_explained_not_a_500(
    audited: Api, web: Console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.log_in("coord")
    issued = web.post("/audit/digests", {})
    link = re.search(r'href="/audit/digests/([0-9a-f-]+)\.json"', issued.text)
    assert link is not None
    digest = web.client.get(f"/audit/digests/{link.group(1)}.json").content
    container = audited.world.container
    broken = container.settings.model_copy(update={"signing_key_file": tmp_path})  # a folder
    monkeypatch.setattr(container, "settings", broken)

    answer = web.client.post(
        "/audit/verify",
        data={"csrf_token": web.csrf("/audit")},
        files={"digests": ("digest.json", digest, "application/json")},
    )

    assert answer.status_code == 200
    assert "未能核验：服务的签名密钥不可用" in answer.text
