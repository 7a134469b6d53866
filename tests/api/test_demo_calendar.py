"""``make run``'s demo works on any date: it loads on a calendar of its own, around its day.

The shipped calendar is this year's, and from 1 December its rectification phase is over: a
demo on it could plan nothing. ``rectify demo`` on the default database writes
``var/demo-campaign.json`` as it loads, and every command in dev on that database reads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infrastructure.demo_calendar import DEMO_CAMPAIGN_FILE, calendar_around
from infrastructure.settings import load_settings

RECTIFY = Path(sys.executable).with_name("rectify")


def run(directory: Path, *args: str, **settings: str) -> str:
    """A command as ``make run`` runs it: in dev, everything under ``directory/var``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    done = subprocess.run(
        [str(RECTIFY), *args],
        env=env | {"NO_COLOR": "1", "COLUMNS": "300", **settings},
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def due_dates(path: Path) -> dict[str, date]:
    milestones = json.loads(path.read_text(encoding="utf-8"))["milestones"]
    return {m["code"]: date.fromisoformat(m["due"]) for m in milestones}


def test_the_demo_writes_its_calendar_once_and_every_command_there_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()

    said = run(tmp_path, "demo")

    calendar = tmp_path / DEMO_CAMPAIGN_FILE
    assert f"demo calendar written to {DEMO_CAMPAIGN_FILE}" in said
    due = due_dates(calendar)
    assert due["spot_check_end"] < today < due["rectification_end"]
    assert due["rectification_end"] == today + timedelta(days=40)
    written = calendar.read_text(encoding="utf-8")
    assert "demo campaign already present" in run(tmp_path, "demo")
    assert calendar.read_text(encoding="utf-8") == written  # kept with the demo it dates
    milestones = run(tmp_path, "milestones")
    assert due["self_inspection_submitted"].isoformat() in milestones

    for name in [n for n in os.environ if n.startswith("RECTIFY_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert load_settings().campaign_file == DEMO_CAMPAIGN_FILE
    assert load_settings(database_url="sqlite:////elsewhere.sqlite3").campaign_file is None


def test_a_demo_on_a_named_database_or_campaign_keeps_to_it(tmp_path: Path) -> None:
    named = tmp_path / "campaign.json"
    named.write_text(json.dumps(calendar_around(date(2026, 9, 1))), encoding="utf-8")

    run(tmp_path, "demo", RECTIFY_CAMPAIGN_FILE=str(named))
    run(tmp_path / "var", "demo", RECTIFY_DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}")

    assert not (tmp_path / DEMO_CAMPAIGN_FILE).exists()
    assert not (tmp_path / "var" / DEMO_CAMPAIGN_FILE).exists()
