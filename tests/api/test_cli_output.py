"""Commands that write a file: missing folders are made; a path that cannot be a file is
refused before any work, with a message naming the option, and nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from infrastructure.audit import AuditDesk
from tests.api.test_cli import Run, event_count, rectify

NOTICE_ID = str(uuid4())
REPORT_ID = str(uuid4())

# Each command writing to -o/--out, with what it needs besides.
WRITERS = {
    "export-issues": ("export", "issues"),
    "export-items": ("export", "items"),
    "export-template": ("export", "template", "--office", "bj"),
    "notice-render": ("notice", "render", NOTICE_ID),
    "report-preview": ("report", "preview", "--as", "coord"),
    "report-download": ("report", "download", REPORT_ID),
}
EXPORTS = ("export-issues", "export-items", "export-template")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli-output") / "rectify.sqlite3"
    assert rectify("demo", db=db).code == 0
    return db


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("kept", encoding="utf-8")
    return path


def refused(run: Run, option: str, problem: str) -> None:
    assert run.code != 0
    assert option in run.err
    assert problem in run.err
    assert "Traceback" not in run.out + run.err


@pytest.mark.parametrize("command", WRITERS.values(), ids=WRITERS.keys())
def test_an_output_that_is_a_directory_is_refused(
    db: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    run = rectify(*command, "-o", str(folder), db=db)

    refused(run, "-o/--out", f"{folder} is a directory")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", WRITERS.values(), ids=WRITERS.keys())
def test_an_output_below_a_file_is_refused(
    db: Path, a_file: Path, command: tuple[str, ...]
) -> None:
    run = rectify(*command, "-o", str(a_file / "sub" / "x.xlsx"), db=db)

    refused(run, "-o/--out", f"{a_file} is a file, not a directory")
    assert a_file.read_text(encoding="utf-8") == "kept"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_in_a_folder_without_write_permission_is_refused(
    db: Path, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        run = rectify("export", "issues", "-o", str(locked / "x.xlsx"), db=db)
    finally:
        locked.chmod(0o700)

    refused(run, "-o/--out", "permission denied")
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_makes_the_missing_folders_of_its_output(
    db: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "new" / "deeper" / "ledger.xlsx"

    run = rectify(*WRITERS[name], "-o", str(out), db=db)

    assert run.code == 0, run.err
    assert out.read_bytes().startswith(b"PK")  # an XLSX is a ZIP archive


def test_digest_refuses_an_unwritable_out_before_recording_the_digest(
    db: Path, a_file: Path
) -> None:
    events = event_count(db)

    run = rectify("digest", "--out", str(a_file / "digest.json"), db=db)

    refused(run, "--out", "is a file, not a directory")
    assert event_count(db) == events


def test_report_submit_refuses_an_out_dir_that_is_a_file_before_submitting(
    db: Path, a_file: Path
) -> None:
    events = event_count(db)

    run = rectify("report", "submit", "--as", "coord", "--out-dir", str(a_file), db=db)

    refused(run, "--out-dir", f"{a_file} is a file, not a directory")
    assert event_count(db) == events
    assert a_file.read_text(encoding="utf-8") == "kept"


def test_public_key_makes_the_missing_folders_of_its_out(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "keys" / "rectify.pem"

    run = rectify("public-key", "--out", str(out), db=db)

    assert run.code == 0, run.err
    assert out.read_text(encoding="ascii").startswith("-----BEGIN PUBLIC KEY-----")


def test_public_key_refuses_an_out_below_a_file(db: Path, a_file: Path) -> None:
    run = rectify("public-key", "--out", str(a_file / "rectify.pem"), db=db)

    refused(run, "--out", f"{a_file} is a file, not a directory")


def test_digest_holds_its_file_while_it_issues_the_digest(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second ``digest`` run at the same moment finds the file taken, and does not
    overwrite the first run's digest when it writes its own."""
    out = tmp_path / "digest.json"
    seen: list[bool] = []
    issue = AuditDesk.issue_digest

    def issuing(desk: AuditDesk, *args: Any, **kwargs: Any) -> Any:
        seen.append(out.exists())
        return issue(desk, *args, **kwargs)

    monkeypatch.setattr(AuditDesk, "issue_digest", issuing)
    monkeypatch.setenv("RECTIFY_DATABASE_URL", f"sqlite:///{db}")

    done = CliRunner().invoke(cli, ["digest", "--out", str(out)])

    assert done.exit_code == 0, done.output
    assert seen == [True]
    assert json.loads(out.read_text(encoding="utf-8"))["position"] > 0
