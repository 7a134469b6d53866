"""The same paperwork from the command line, for the coordination office's offline work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from application.ports import FixedClock
from infrastructure.spreadsheets.workbook import template_workbook
from tests.builders import build_world
from tests.documents.reading import pdf_text
from tests.documents.sheets import GOOD_ROW, fill, values

PLAN_HEADERS = ("整改措施", "措施类型", "涉及处置或出租", "责任人", "完成时限")


def one_row_sheet(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, **changes: str
) -> Path:
    """A store with the test world (the command line's database from here on) and bj's
    sheet with one problem, ``changes`` made to its columns. The command line runs on the
    system clock: a problem without a plan has no deadline to fall in the past, and it was
    found on a day that is past whenever this runs."""
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    world = build_world(url, clock)
    sheet = tmp_path / "自查表.xlsx"
    row = {**GOOD_ROW, "发现日期": "2026-01-05", **dict.fromkeys(PLAN_HEADERS), **changes}
    sheet.write_bytes(fill(template_workbook(world.app.campaign, office="bj"), [row]))
    world.container.close()
    monkeypatch.setenv("RECTIFY_DATABASE_URL", url)
    return sheet


def test_export_import_and_report_from_the_command_line(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = one_row_sheet(tmp_path, clock, monkeypatch)
    runner = CliRunner()

    imported = runner.invoke(
        cli, ["import", "self-inspection", str(sheet), "--office", "bj", "--as", "bj-clerk"]
    )
    again = runner.invoke(
        cli, ["import", "self-inspection", str(sheet), "--office", "bj", "--as", "bj-clerk"]
    )
    exported = runner.invoke(
        cli, ["export", "items", "--office", "bj", "-o", str(tmp_path / "a.xlsx")]
    )
    reported = runner.invoke(
        cli, ["report", "submit", "--office", "bj", "--as", "bj-clerk", "--out-dir", str(tmp_path)]
    )

    assert imported.exit_code == 0, imported.output
    assert "导入完成：新增问题1项、整改事项0项。" in imported.output
    assert "本次没有新增任何数据" in again.output
    assert exported.exit_code == 0, exported.output
    rows = values((tmp_path / "a.xlsx").read_bytes())
    assert rows[1][rows[0].index("问题名称")] == "办公设备账实不符"
    assert reported.exit_code == 0, reported.output
    pdf = next(tmp_path.glob("*整改情况的报告.pdf"))
    assert "办公设备账实不符" in pdf_text(pdf.read_bytes())


def test_the_command_line_import_holds_a_sheet_to_the_apis_limits(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = one_row_sheet(tmp_path, clock, monkeypatch, 问题描述="述" * 3000)
    monkeypatch.setenv("COLUMNS", "200")

    refused = CliRunner().invoke(
        cli, ["import", "self-inspection", str(sheet), "--office", "bj", "--as", "bj-clerk"]
    )

    assert refused.exit_code == 1, refused.output
    assert "问题描述不能超过2000个字" in refused.output


def test_an_exported_sheet_holds_what_the_list_selects_in_its_order(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    world = build_world(url, clock)
    for title, source in (("乙问题", "spot_check"), ("甲问题", "self_inspection")):
        world.issue(title=title, source=source)
    world.issue(office="sh", by="sh-clerk", title="上海问题")
    world.container.close()
    monkeypatch.setenv("RECTIFY_DATABASE_URL", url)
    runner = CliRunner()

    def titles(*options: str) -> list[str]:
        out = tmp_path / f"{len(options)}-{'-'.join(options)}.xlsx"
        done = runner.invoke(cli, ["export", "issues", "-o", str(out), *options])
        assert done.exit_code == 0, done.output
        rows = values(out.read_bytes())
        return [row[rows[0].index("问题名称")] for row in rows[1:]]

    assert titles("--sort", "title") == ["上海问题", "乙问题", "甲问题"]
    assert titles("--office", "bj", "--sort", "-title") == ["甲问题", "乙问题"]
    assert titles("--source", "spot_check") == ["乙问题"]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["issues", "--status", "lost"], "(status)"),
        (["issues", "--sort", "colour"], "(sort)"),
        (["items", "--light", "blue"], "(light)"),
        (["items", "--office", "mars"], "mars"),
    ],
)
def test_an_export_with_a_wrong_filter_writes_nothing_and_says_which(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    named: str,
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    build_world(url, clock).container.close()
    monkeypatch.setenv("RECTIFY_DATABASE_URL", url)
    out = tmp_path / "sheet.xlsx"

    done = CliRunner().invoke(cli, ["export", options[0], "-o", str(out), *options[1:]])

    assert done.exit_code == 1
    assert named in done.output
    assert "Traceback" not in done.output
    assert not out.exists()
