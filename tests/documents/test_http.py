"""The paperwork over HTTP: Excel out and in, notices and reports as downloads."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from api.http.routers.imports import MAX_SHEET_BYTES
from application.ports import FixedClock
from tests.api.conftest import Api, open_api
from tests.builders import WORK_GROUP, build_world
from tests.conftest import CAMPAIGN_NOW, database_url
from tests.documents.reading import docx_text, pdf_text
from tests.documents.sheets import GOOD_ROW, fill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def api(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Api]:
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    yield from open_api(build_world(database_url("sqlite", tmp_path, request), clock))


def _upload(api: Api, user: str, data: bytes) -> object:
    return api.post(
        user,
        "/api/imports/self-inspection",
        data={"office": "bj"},
        files={"file": ("自查表.xlsx", data, XLSX)},
    )


def test_an_office_downloads_its_template_fills_it_and_imports_it_once(api: Api) -> None:
    template = api.get("bj-clerk", "/api/imports/self-inspection/template.xlsx?office=bj")
    assert template.status_code == 200
    assert template.headers["content-type"] == XLSX
    filled = fill(template.content, [GOOD_ROW])

    first = _upload(api, "bj-clerk", filled)
    again = _upload(api, "bj-clerk", filled)

    assert first.status_code == 200, first.text  # type: ignore[attr-defined]
    assert first.json()["created"] == {"issues": 1, "items": 1}  # type: ignore[attr-defined]
    assert again.json()["already_imported"] is True  # type: ignore[attr-defined]
    exported = api.get("coord", "/api/ledgers/items.xlsx?office=bj")
    ws = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert ws.max_row == 3
    assert (
        ws.cell(3, [c.value for c in ws[2]].index("整改措施") + 1).value == "全面盘点并补登资产台账"
    )


def test_an_import_answers_once_the_ledgers_hold_its_rows(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-your-writes, as every other write: the answer waits for the read models."""
    host = api.world.container.projections
    waited: list[int | None] = []
    real_wait = host.wait_for

    def wait_for(position: int | None, timeout: float, **kwargs: Any) -> bool:
        waited.append(position)
        return real_wait(position, timeout, **kwargs)

    monkeypatch.setattr(host, "wait_for", wait_for)
    template = api.get("bj-clerk", "/api/imports/self-inspection/template.xlsx?office=bj")

    answer = _upload(api, "bj-clerk", fill(template.content, [GOOD_ROW]))

    position = answer.json()["position"]  # type: ignore[attr-defined]
    assert position in waited
    assert host.positions()["item_ledger"] >= position
    listed = api.get("bj-clerk", "/api/items", params={"q": "全面盘点并补登资产台账"})
    assert listed.json()["total"] == 1


def test_a_sheet_with_bad_rows_answers_422_with_every_row_error(api: Api) -> None:
    template = api.get("bj-clerk", "/api/imports/self-inspection/template.xlsx?office=bj").content
    bad = fill(
        template,
        [
            {**GOOD_ROW, "责任人": None},
            {**GOOD_ROW, "问题编号": "2", "问题名称": "二", "单位代码": "sh"},
        ],
    )

    answer = _upload(api, "bj-clerk", bad)

    assert answer.status_code == 422  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert body["code"] == "sheet_rejected"
    assert {(r["row"], r["column"]) for r in body["rows"]} == {(3, "责任人"), (4, "单位代码")}


def _lagging_record(api: Api) -> str:
    """An item five days past its one-day deadline: the accountability record a notice cites."""
    issue = api.world.issue()
    api.world.item(issue.id, measure="补登台账", deadline=api.world.today() + timedelta(days=1))
    api.world.clock.set(CAMPAIGN_NOW + timedelta(days=5))
    return str(
        next(
            c["id"]
            for c in api.get("coord", "/api/accountability/candidates").json()
            if c["item_id"]
        )
    )


def test_a_coordinator_drafts_issues_and_downloads_a_notice(api: Api) -> None:
    record = _lagging_record(api)

    drafted = api.post("coord", "/api/notices", json={"records": [record]})
    notice_id = drafted.json()["id"]
    issued = api.post(
        "coord", f"/api/notices/{notice_id}/issue", json={"number": "机管国资〔2026〕12号"}
    )
    pdf = api.get("bj-clerk", f"/api/notices/{notice_id}.pdf")

    assert drafted.status_code == 201, drafted.text
    assert issued.json()["status"] == "issued"
    assert pdf.status_code == 200
    assert "机管国资〔2026〕12号" in pdf_text(pdf.content)
    assert "补登台账" in pdf_text(pdf.content)


def test_a_record_an_issued_notice_cited_is_offered_again_naming_that_notice(api: Api) -> None:
    record = _lagging_record(api)
    assert _candidate(api, record)["notified_in"] == []
    drafted = api.post("coord", "/api/notices", json={"records": [record]}).json()["id"]
    assert _candidate(api, record)["notified_in"] == []  # a draft notifies no one

    api.post("coord", f"/api/notices/{drafted}/issue", json={"number": "机管国资〔2026〕12号"})

    assert _candidate(api, record)["notified_in"] == [
        {"notice_id": drafted, "number": "机管国资〔2026〕12号"}
    ]


def _candidate(api: Api, record: str) -> dict[str, Any]:
    found = api.get("coord", "/api/accountability/candidates").json()
    return next(c for c in found if c["id"] == record)


def test_a_notice_answers_with_its_version_as_the_etag_and_an_empty_edit_is_refused(
    api: Api,
) -> None:
    record = _lagging_record(api)
    drafted = api.post("coord", "/api/notices", json={"records": [record]})
    url = f"/api/notices/{drafted.json()['id']}"
    assert drafted.headers["ETag"] == '"1"'
    assert api.get("coord", url).headers["ETag"] == '"1"'

    empty = api.client.patch(url, json={}, headers=api.headers("coord", **{"If-Match": '"1"'}))
    same_title = api.client.patch(
        url, json={"title": drafted.json()["title"]}, headers=api.headers("coord")
    )
    assert (empty.status_code, same_title.status_code) == (422, 422)
    assert "changes nothing" in empty.json()["detail"]
    assert api.get("coord", url).json()["version"] == 1

    edited = api.client.patch(
        url,
        json={"title": "关于整改滞后的通报"},
        headers=api.headers("coord", **{"If-Match": '"1"'}),
    )
    assert edited.status_code == 200, edited.text
    assert edited.headers["ETag"] == '"2"'
    issued = api.post(
        "coord",
        f"{url}/issue",
        json={"number": "机管国资〔2026〕13号"},
        headers={"If-Match": '"2"'},
    )
    assert issued.headers["ETag"] == '"3"'


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipients": ["bj", "zz"]}, "recipients[1]"),
        ({"copy_to": ["zz"]}, "copy_to[0]"),
        ({"recipients": ["bj", "sh", "bj"]}, "recipients[2]"),
        ({"recipients": ["bj"], "copy_to": ["finance", "bj"]}, "copy_to[1]"),
        ({"recipients": []}, "recipients"),
    ],
    ids=["unknown", "unknown-copy", "twice", "recipient-copied", "nobody"],
)
def test_a_notice_to_a_unit_the_campaign_lacks_or_twice_or_to_nobody_names_the_entry(
    api: Api, change: dict[str, list[str]], field: str
) -> None:
    record = _lagging_record(api)
    drafted = api.post("coord", "/api/notices", json={"records": [record], **change})
    good = api.post("coord", "/api/notices", json={"records": [record]})
    edited = api.client.patch(
        f"/api/notices/{good.json()['id']}",
        json={**change, "reason": "改发送单位"},
        headers=api.headers("coord"),
    )

    assert drafted.status_code == edited.status_code == 422
    assert drafted.json()["field"] == edited.json()["field"] == field


def test_an_office_submits_its_report_and_downloads_the_recorded_file(api: Api) -> None:
    _, item_id = api.world.rectified_item()
    api.world.app.record_verification(api.world["coord"], item_id, passed=True)

    submitted = api.post("bj-clerk", "/api/reports", json={"office": "bj"})
    report = submitted.json()
    docx = api.get("coord", f"/api/reports/{report['id']}.docx")

    assert submitted.status_code == 201, submitted.text
    assert len(report["reported_issue_ids"]) == 1
    ref = next(f for f in report["files"] if f["format"] == "docx")
    assert hashlib.sha256(docx.content).hexdigest() == ref["sha256"]
    assert "整改完成率100.0%" in docx_text(docx.content)


def test_milestones_and_the_work_group_over_http(api: Api) -> None:
    named = api.client.put(
        "/api/offices/bj/work-group",
        headers=api.headers("bj-clerk"),
        json=WORK_GROUP,
    )
    statuses = api.get("coord", "/api/milestones").json()

    assert named.status_code == 200, named.text
    bj = {m["code"]: m["status"] for m in statuses if m["office"] == "bj"}
    assert bj["work_group_named"] == "late"  # named on 10-10, due 08-20
    assert bj["office_reports_due"] == "pending"


def test_a_sheet_over_the_size_limit_answers_413_and_imports_nothing(api: Api) -> None:
    before = api.world.app.recorder.max_notification_id()

    answer = _upload(api, "bj-clerk", b"x" * (MAX_SHEET_BYTES + 1))

    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert answer.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    assert api.world.app.recorder.max_notification_id() == before


def test_the_template_of_an_office_outside_the_callers_scope_answers_404(api: Api) -> None:
    path = "/api/imports/self-inspection/template.xlsx"

    foreign = api.get("bj-clerk", path, params={"office": "sh"})
    own_sub_office = api.get("bj-clerk", path, params={"office": "tj"})
    overseen = api.get("coord", path, params={"office": "sh"})

    assert foreign.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert own_sub_office.status_code == 200
    assert overseen.status_code == 200
    assert quote("上海办事处自查问题清单") in overseen.headers["content-disposition"]


def test_an_import_over_the_apis_limits_answers_422_naming_each_column(api: Api) -> None:
    template = api.get("bj-clerk", "/api/imports/self-inspection/template.xlsx?office=bj").content
    long = {**GOOD_ROW, "问题描述": "述" * 3000, "涉及资产": "Z" * 303}

    answer = _upload(api, "bj-clerk", fill(template, [long]))

    assert answer.status_code == 422  # type: ignore[attr-defined]
    rows = answer.json()["rows"]  # type: ignore[attr-defined]
    assert rows == [
        {"row": 3, "column": "问题描述", "message": "问题描述不能超过2000个字"},
        {"row": 3, "column": "涉及资产", "message": "涉及资产第1项的编号不能超过100个字"},
    ]
    assert api.world.app.ledger(api.world["coord"], office="bj").issues == []


def test_a_refused_value_is_quoted_short_and_a_notice_holds_a_bounded_list(api: Api) -> None:
    record = _lagging_record(api)
    notice = api.post("coord", "/api/notices", json={"records": [record]}).json()["id"]

    long_number = api.post("coord", f"/api/notices/{notice}/issue", json={"number": "x" * 60})
    too_long = api.post("coord", f"/api/notices/{notice}/issue", json={"number": "x" * 100_000})
    long_record = api.post("coord", "/api/notices", json={"records": ["x" * 100_000]})

    assert long_number.status_code == 422
    assert len(long_number.json()["detail"]) < 200
    assert too_long.status_code == long_record.status_code == 422
    assert too_long.json()["field"] == "number"
    assert long_record.json()["field"] == "records[0]"
    assert len(too_long.text) + len(long_record.text) < 5_000
