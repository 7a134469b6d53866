"""The CLI readers after ``rectify demo``: they catch the views up, then print the demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli.main import cli


@pytest.fixture
def rectify(tmp_path: Path) -> CliRunner:
    return CliRunner(
        env={
            "RECTIFY_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "RECTIFY_ENV": "dev",
            "RECTIFY_EVIDENCE_DIR": str(tmp_path / "evidence"),
            "RECTIFY_LOG_LEVEL": "warning",
            "COLUMNS": "240",
        }
    )


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def lags(output: str) -> dict[str, int]:
    rows = re.findall(r"│ (\w+)\s+│ \S+\s+│\s+(\d+) │\s+(\d+) │\s+(\d+) │", output)
    return {view: int(lag) for view, _, _, lag in rows}


def test_after_the_demo_the_readers_show_it_and_status_shows_the_lag(rectify: CliRunner) -> None:
    run(rectify, "demo")
    before = lags(run(rectify, "projections", "status").output)
    assert len(before) == 5
    assert min(before.values()) > 300

    issues = run(rectify, "ledger", "issues", "--page-size", "50").output
    assert "问题清单" in issues
    assert "共40条" in issues
    assert "北京办事处" in issues
    assert set(lags(run(rectify, "projections", "status").output).values()) == {0}

    items = run(rectify, "ledger", "items", "--office", "bj").output
    assert "整改台账" in items
    assert "天津办事处" in items
    assert "共0条" in run(rectify, "ledger", "issues", "--as-of", "2000-01-01").output
    progress = run(rectify, "progress").output
    assert "北京办事处（含下属）" in progress
    assert "合计" in progress
    accountability = run(rectify, "accountability").output
    assert "弄虚作假" in accountability
    assert "整改成效不明显" in accountability
    audit = run(rectify, "audit", "--actor", "coord", "--page-size", "5").output
    assert "王协调（国资处）" in audit
    assert "同意整改事项" in audit or "登记问题" in audit


def test_a_rebuild_swaps_in_fresh_tables(rectify: CliRunner) -> None:
    run(rectify, "demo")

    rebuilt = run(rectify, "projections", "rebuild", "audit_log").output

    assert "audit_log rebuilt and swapped in at position" in rebuilt
    assert lags(run(rectify, "projections", "status").output)["audit_log"] == 0


def test_unknown_names_and_bad_dates_are_refused_with_a_message(rectify: CliRunner) -> None:
    unknown = rectify.invoke(cli, ["projections", "rebuild", "gossip"])
    bad_date = rectify.invoke(cli, ["ledger", "issues", "--as-of", "yesterday"])
    bad_office = rectify.invoke(cli, ["progress", "--office", "mars"])

    assert (unknown.exit_code, bad_date.exit_code) == (2, 2)
    assert "unknown view 'gossip'" in unknown.output
    assert "--as-of must be a date" in bad_date.output
    assert bad_office.exit_code == 1
    assert "unknown office 'mars'" in bad_office.output
