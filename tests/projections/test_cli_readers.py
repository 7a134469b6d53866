"""The CLI readers after ``rectify demo``: they catch the views up, then print the demo.

Each command runs the real ``rectify`` script in its own process (as an operator would),
so nothing it configures (logging to its own streams) leaks into other tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

RECTIFY = Path(sys.executable).with_name("rectify")
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Rectify = Callable[..., Run]


@pytest.fixture
def rectify(tmp_path: Path) -> Rectify:
    env = {
        **os.environ,
        "RECTIFY_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "RECTIFY_ENV": "dev",
        "RECTIFY_EVIDENCE_DIR": str(tmp_path / "evidence"),
        "RECTIFY_LOG_LEVEL": "warning",
        "COLUMNS": "240",
    }

    def run(*args: str) -> Run:
        done = subprocess.run(
            [str(RECTIFY), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def ok(run: Run) -> str:
    assert run.code == 0, run.err
    return run.out


def lags(output: str) -> dict[str, int]:
    rows = re.findall(r"│ (\w+)\s+│ \S+\s+│\s+(\d+) │\s+(\d+) │\s+(\d+) │", output)
    return {view: int(lag) for view, _, _, lag in rows}


def test_after_the_demo_the_readers_show_it_and_status_shows_the_lag(rectify: Rectify) -> None:
    run = rectify
    ok(run("demo"))
    before = lags(ok(run("projections", "status")))
    assert len(before) == 5
    assert min(before.values()) > 300

    issues = ok(run("ledger", "issues", "--page-size", "50"))
    assert "问题清单" in issues
    assert "共40条" in issues
    assert "北京办事处" in issues
    assert set(lags(ok(run("projections", "status"))).values()) == {0}

    items = ok(run("ledger", "items", "--office", "bj"))
    assert "整改台账" in items
    assert "天津办事处" in items
    spot_checks = ok(run("ledger", "issues", "--source", "spot_check", "--page-size", "50"))
    assert "抽查" in spot_checks
    assert "自查" not in spot_checks
    assert re.search(r"共([1-9]\d?)条", spot_checks)
    by_date = ok(run("ledger", "items", "--sort", "deadline", "--page-size", "50"))
    latest_first = ok(run("ledger", "items", "--sort", "-deadline", "--page-size", "50"))
    days = re.findall(r"\d{4}-\d{2}-\d{2}", by_date)
    assert days == sorted(days)
    assert re.findall(r"\d{4}-\d{2}-\d{2}", latest_first)[0] == max(days)
    assert "共0条" in ok(run("ledger", "issues", "--as-of", "2000-01-01"))
    progress = ok(run("progress"))
    assert "北京办事处（含下属）" in progress
    assert "合计" in progress
    accountability = ok(run("accountability"))
    assert "弄虚作假" in accountability
    assert "整改成效不明显" in accountability
    assert "认定弄虚作假" in accountability  # its events named in Chinese, as on the pages
    audit = ok(run("audit", "--actor", "coord", "--page-size", "5"))
    assert "王协调（国资处）" in audit
    assert "审计日志" in ok(run("audit", "--no-routine", "--page-size", "5"))
    nobody = run("audit", "--actor", "王")  # part of a name finds none: said, not a blank
    assert nobody.code == 0
    assert "no events by '王' (--actor)" in nobody.err
    assert "admin-bureau" not in audit  # the actor's unit by its name
    english = re.compile(r"\b(Planned|Approved|Rectified|Verification\w+|Falsification\w+)\b")
    assert not english.search(audit + accountability)
    assert "还没有通报" in ok(run("notice", "list"))  # the demo drafts none: said, not blank


def test_a_rebuild_swaps_in_fresh_tables(rectify: Rectify) -> None:
    run = rectify
    ok(run("demo"))

    rebuilt = ok(run("projections", "rebuild", "audit_log"))

    assert "audit_log rebuilt and swapped in at position" in rebuilt
    assert lags(ok(run("projections", "status")))["audit_log"] == 0


def test_unknown_names_and_bad_dates_are_refused_with_a_message(rectify: Rectify) -> None:
    run = rectify
    unknown = run("projections", "rebuild", "gossip")
    bad_date = run("ledger", "issues", "--as-of", "yesterday")
    ancient = run("ledger", "items", "--as-of", "0001-01-01")
    bad_office = run("progress", "--office", "mars")
    bad_unit = run("audit", "--unit", "mars")
    bad_sort = run("ledger", "items", "--sort", "mood")
    bad_source = run("ledger", "issues", "--source", "rumour")
    future = run("ledger", "items", "--as-of", "9000-01-01")

    assert (unknown.code, bad_date.code, bad_office.code, bad_unit.code) == (2, 2, 1, 2)
    assert "unknown view 'gossip'" in unknown.err
    assert "--as-of must be a date" in bad_date.err
    assert ancient.code == 2
    assert "--as-of must be between the years 1970 and 9000" in ancient.err
    assert "unknown office 'mars'" in bad_office.err
    assert "unknown unit 'mars' (--unit): one of " in bad_unit.err
    assert "bj" in bad_unit.err.split("one of ")[1]
    assert (bad_sort.code, bad_source.code) == (1, 1)
    assert "sort must be one of: deadline, " in bad_sort.err
    assert "source must be one of: " in bad_source.err
    assert future.code == 2
    assert "--as-of must not be later than today (" in future.err


def test_a_notice_drafted_on_the_command_line_names_its_addressees(rectify: Rectify) -> None:
    run = rectify
    ok(run("demo"))
    record = re.findall(r"(lagging:[0-9a-f-]{36})", ok(run("notice", "candidates")))[0]

    unknown = run("notice", "draft", record, "--to", "bj", "--to", "nowhere", "--as", "coord")
    assert unknown.code == 1
    assert "nowhere" in unknown.err
    assert "(--to)" in unknown.err
    assert "还没有通报" in ok(run("notice", "list"))  # refused: nothing drafted

    drafted = ok(run("notice", "draft", record, "--to", "bj", "--to", "tj", "--as", "coord"))
    notice_id = re.findall(r"drafted notice ([0-9a-f-]{36})", drafted)[0]
    listed = ok(run("notice", "list"))
    assert "北京办事处、天津办事处" in listed
    assert "省财政厅" in listed  # copied to Finance by default
    ok(run("notice", "edit", notice_id, "--copy-to", "", "--as", "coord"))  # copied to none
    assert "省财政厅" not in ok(run("notice", "list"))
    ok(run("notice", "edit", notice_id, "--copy-to", "sh", "--as", "coord"))
    number = f"机管国资〔{datetime.now(ZoneInfo('Asia/Shanghai')).year}〕7号"
    ok(run("notice", "issue", notice_id, "--number", number, "--as", "coord"))

    listed = ok(run("notice", "list"))
    assert "已印发" in listed
    assert "上海办事处" in listed
    assert "省财政厅" not in listed
    cited = [line for line in ok(run("notice", "candidates")).splitlines() if record in line]
    assert number in cited[0]  # the record still holds: listed again, as notified already
    trail = ok(run("history", notice_id))
    assert "起草通报" in trail
    assert trail.count("修改通报") == 2
    assert f"印发通报（{number}）" in trail
    again = ok(run("notice", "draft", record, "--as", "coord"))  # drafted twice by mistake
    twice = re.findall(r"drafted notice ([0-9a-f-]{36})", again)[0]
    assert "notice discarded" in ok(
        run("notice", "discard", twice, "--reason", "重复起草", "--as", "coord")
    )
    assert "已作废" in ok(run("notice", "list"))
    assert "作废通报草稿" in ok(run("history", twice))
    refused = run("notice", "discard", notice_id, "--reason", "不要了", "--as", "coord")
    assert refused.code == 1
    assert "stays issued" in refused.err
