"""The demo's calendar: the shipped campaign, its milestones placed around the demo's day.

The shipped calendar is this year's (its dates are month and day), so from 1 December its
rectification phase is over and no measure can be planned. The demo (``rectify demo``, dev
only) therefore writes its own campaign file beside its database when it loads: the shipped
units and milestones, dated so that the day it loads falls in the rectification phase,
forty days before its end. Every command run in dev on the default database reads that
file (``infrastructure.settings``), so the demo's calendar stays the one it was loaded
with; deleting ``var/`` starts again.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from infrastructure.campaign_file import shipped_campaign

DEMO_CAMPAIGN_FILE = Path("var/demo-campaign.json")
DEFAULT_DATABASE_URL = "sqlite:///var/rectify.sqlite3"  # the settings' default

# Each milestone's due date, in days from the day the demo loads: it loads in the
# rectification phase, the self-inspection and the spot checks behind it.
DAYS_FROM_TODAY = {
    "work_group_named": -100,
    "self_inspection_submitted": -75,
    "self_inspection_end": -60,
    "spot_check_end": -30,
    "rectification_end": 40,
    "office_reports_due": 50,
    "consolidated_report_due": 60,
}


def demo_calendar_applies(env: str, database_url: str, campaign_file: Path | None) -> bool:
    """Whether this instance is the demo's own: dev, on the default database, no campaign
    file named but the demo's. The settings read the demo's calendar where it applies, and
    ``rectify demo`` writes it there."""
    return (
        env == "dev"
        and database_url == DEFAULT_DATABASE_URL
        and campaign_file in (None, DEMO_CAMPAIGN_FILE)
    )


def calendar_around(today: date) -> dict[str, Any]:
    """The shipped campaign with its calendar placed around ``today``."""
    shipped = shipped_campaign()
    milestones = [
        {**m, "due": (today + timedelta(days=DAYS_FROM_TODAY[m["code"]])).isoformat()}
        for m in shipped["milestones"]
    ]
    return {**shipped, "year": today.year, "milestones": milestones}


def write_calendar_around(path: Path, today: date) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(calendar_around(today), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path
