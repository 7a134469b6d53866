"""The ``rectify`` console script, run for real in a subprocess on a SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import typer
from typer.core import TyperGroup

from api.cli.common import read_text_file
from api.cli.main import cli, event_detail
from domain.taxonomy import ROLES
from infrastructure.campaign_file import load_campaign

RECTIFY = Path(sys.executable).with_name("rectify")
STRONG_SECRET = "s" * 48


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def rectify(*args: str, db: Path, **settings: str) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env.update(
        {"RECTIFY_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "300", "NO_COLOR": "1", **settings}
    )
    done = subprocess.run(
        [str(RECTIFY), *args],
        env=env,
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def event_count(db: Path) -> int:
    if not db.exists():
        return 0
    with closing(sqlite3.connect(db)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "stored_events" not in tables:
            return 0
        return int(conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])


def first_issue(db: Path) -> tuple[str, dict[str, str]]:
    """The first problem the demo found: its id and who found it."""
    with closing(sqlite3.connect(db)) as conn:
        oid, state = conn.execute(
            "SELECT originator_id, state FROM stored_events "
            "WHERE topic = 'domain.issue:Issue.Found' ORDER BY rowid LIMIT 1"
        ).fetchone()
    return str(oid), json.loads(state)["actor"]


@dataclass(frozen=True)
class Demo:
    db: Path
    first_run: Run
    events: int


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One demo database for the module's read-only checks."""
    db = tmp_path_factory.mktemp("cli") / "rectify.sqlite3"
    first = rectify("demo", db=db)
    return Demo(db=db, first_run=first, events=event_count(db))


def test_demo_loads_a_campaign(demo: Demo) -> None:
    assert demo.first_run.code == 0, demo.first_run.err
    assert "demo campaign loaded" in demo.first_run.out
    assert demo.events > 100


def test_a_second_demo_run_says_it_is_present_and_adds_no_events(demo: Demo) -> None:
    again = rectify("demo", db=demo.db)

    assert again.code == 0, again.err
    assert "already present" in again.out
    assert event_count(demo.db) == demo.events


def test_demo_is_refused_in_production(tmp_path: Path) -> None:
    db = tmp_path / "prod.sqlite3"

    run = rectify("demo", db=db, RECTIFY_ENV="prod", RECTIFY_SECRET_KEY=STRONG_SECRET)

    assert run.code != 0
    assert "RECTIFY_ENV=dev" in run.err
    assert event_count(db) == 0


def test_history_prints_a_cases_trail_with_actors_names(demo: Demo) -> None:
    issue_id, found_by = first_issue(demo.db)

    run = rectify("history", issue_id, db=demo.db)

    assert run.code == 0, run.err
    found_line = next(line for line in run.out.splitlines() if "登记问题" in line)
    assert found_by["name"] in found_line
    with closing(sqlite3.connect(demo.db)) as conn:  # its place in the log comes first
        (position,) = conn.execute(
            "SELECT rowid FROM stored_events WHERE originator_id = ? AND originator_version = 1",
            (issue_id.replace("-", ""),),
        ).fetchone()
    assert found_line.split("│")[1].strip() == str(position)
    assert ROLES[found_by["role"]] in found_line
    campaign = load_campaign(None, timezone="Asia/Shanghai", this_year=2026)
    assert campaign.unit(found_by["unit"]).name in found_line  # as the console names it


def test_history_speaks_chinese_like_the_other_tables(demo: Demo) -> None:
    issue_id, found_by = first_issue(demo.db)

    run = rectify("history", issue_id, db=demo.db)

    assert run.code == 0, run.err
    header = next(line for line in run.out.splitlines() if "时间" in line)
    for column in ("位置", "时间", "操作人", "角色", "单位", "记录", "事件"):
        assert column in header
    assert "问题#1" in run.out
    assert "核查通过" in run.out
    for code in (found_by["role"], "Found", "VerificationPassed", "RectificationItem", "ItemAdded"):
        assert code not in run.out


@pytest.mark.parametrize(
    ("case_id", "message"),
    [("not-a-uuid", "CASE_ID must be a UUID"), (str(uuid4()), "no case")],
    ids=["malformed-id", "unknown-id"],
)
def test_history_of_a_bad_id_is_a_message_not_a_traceback(
    demo: Demo, case_id: str, message: str
) -> None:
    run = rectify("history", case_id, db=demo.db)

    assert run.code != 0
    assert message in run.err
    assert case_id in run.err
    assert "Traceback" not in run.out + run.err


@pytest.mark.parametrize(
    "args",
    [
        ("ledger", "issues", "--page", "99999999999999999999"),
        ("ledger", "items", "--page", "1000001"),
        ("audit", "--page", "0"),
    ],
    ids=["issues-overflow", "items-past-the-cap", "audit-zero"],
)
def test_a_page_no_database_holds_is_named_not_a_traceback(
    demo: Demo, args: tuple[str, ...]
) -> None:
    run = rectify(*args, db=demo.db)

    assert run.code != 0
    assert "page must be between 1 and 1000000" in run.err
    assert "Traceback" not in run.out + run.err


def test_a_notice_body_file_that_is_no_utf8_text_is_named(demo: Demo, tmp_path: Path) -> None:
    latin = tmp_path / "body.txt"
    latin.write_bytes("通报正文".encode("gb18030"))
    notice = str(uuid4())

    not_text = rectify(
        "notice", "edit", notice, "--body-file", str(latin), "--as", "coord", db=demo.db
    )
    folder = rectify(
        "notice", "edit", notice, "--body-file", str(tmp_path), "--as", "coord", db=demo.db
    )

    assert not_text.code == 2
    assert f"--body-file: {latin} is not UTF-8 text" in not_text.err
    assert folder.code == 2
    assert "--body-file" in folder.err
    assert "is a directory" in folder.err
    assert "Traceback" not in not_text.err + folder.err


def test_a_body_file_saved_with_a_byte_order_mark_reads_without_it(tmp_path: Path) -> None:
    saved = tmp_path / "body.txt"
    saved.write_bytes("\ufeff一、基本情况".encode())  # as Windows Notepad saves UTF-8

    assert read_text_file(saved, option="--body-file") == "一、基本情况"


def test_a_bad_setting_stops_the_command_naming_the_variable(tmp_path: Path) -> None:
    run = rectify("db", "init", db=tmp_path / "x.sqlite3", RECTIFY_PORT="eighty")

    assert run.code != 0
    assert "RECTIFY_PORT" in run.err
    assert "Traceback" not in run.err


def test_a_reader_prints_its_table_without_log_lines(demo: Demo) -> None:
    run = rectify("ledger", "issues", "--as-of", "2026-10-01", db=demo.db)

    assert run.code == 0, run.err
    assert "问题清单" in run.out
    assert "view_indexes_built" not in run.err
    assert '"level": "info"' not in run.err


def test_a_reader_logs_info_lines_when_asked_to(tmp_path: Path) -> None:
    quiet_db, told_db = tmp_path / "quiet.sqlite3", tmp_path / "told.sqlite3"
    assert rectify("db", "init", db=quiet_db).code == rectify("db", "init", db=told_db).code == 0

    quiet = rectify("ledger", "issues", db=quiet_db)
    told = rectify("ledger", "issues", db=told_db, RECTIFY_LOG_LEVEL="info")

    assert quiet.code == 0, quiet.err
    assert told.code == 0, told.err
    assert "view_indexes_built" not in quiet.err  # the views' first read builds their indexes
    assert "view_indexes_built" in told.err


def test_the_views_worker_still_logs_at_info(demo: Demo) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env["RECTIFY_DATABASE_URL"] = f"sqlite:///{demo.db}"
    worker = subprocess.Popen(
        [str(RECTIFY), "projections", "run"],
        env=env,
        cwd=demo.db.parent,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(60, worker.kill)
    watchdog.start()
    try:
        assert worker.stderr is not None
        lines = iter(worker.stderr.readline, "")
        started = next((line for line in lines if "projection_worker_started" in line), "")
    finally:
        watchdog.cancel()
        worker.kill()  # only its first lines matter here
        worker.communicate(timeout=30)

    assert '"level": "info"' in started


def _commands(group: TyperGroup, path: str = "rectify") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, command in group.commands.items():
        found.append((f"{path} {name}", command))
        if isinstance(command, TyperGroup):
            found += _commands(command, f"{path} {name}")
    return found


def test_every_command_and_command_group_has_a_help_text() -> None:
    root = typer.main.get_command(cli)
    assert isinstance(root, TyperGroup)

    silent = [path for path, command in _commands(root) if not (command.help or "").strip()]

    assert silent == []


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"new_deadline": "2026-12-15", "reason": "等待登记"}, "（至2026-12-15）"),
        (
            {"previous": {"title": "旧", "found_on": "2026-10-01"}, "title": "新"},
            "（更正：问题标题、发现日期）",
        ),
        ({"responsible": "王芳", "previous": "张伟", "reason": "调岗"}, "（张伟→王芳）"),
        ({"number": "机管国资〔2026〕7号"}, "（机管国资〔2026〕7号）"),
        ({"comment": "同意"}, ""),
    ],
)
def test_the_history_says_what_an_event_set_beside_its_name(
    data: dict[str, object], shown: str
) -> None:
    assert event_detail(data) == shown
