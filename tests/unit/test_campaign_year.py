"""Which year a campaign file's month-day calendar falls in.

The shipped campaign (and any file without a ``year``) gives its milestones as MM-DD. Placed
in the calendar year alone, from 1 December its rectification phase would be over and no
office could plan a measure until the new year (a deadline must fall between today and the
rectification's end): the service started then is the next year's campaign instead. A file
with a ``year`` means that year whatever the day.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from infrastructure.campaign_file import load_campaign

SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("today", "end"),
    [
        (date(2026, 1, 1), date(2026, 11, 30)),
        (date(2026, 11, 30), date(2026, 11, 30)),  # its last day still plans into it
        (date(2026, 12, 1), date(2027, 11, 30)),
        (date(2026, 12, 31), date(2027, 11, 30)),
    ],
)
def test_the_shipped_campaign_is_the_one_whose_rectification_is_still_ahead(
    today: date, end: date
) -> None:
    campaign = load_campaign(None, timezone=SHANGHAI, today=today)

    assert campaign.rectification_end == end
    assert campaign.milestone("work_group_named").due == date(
        end.year, 8, 20
    )  # the whole calendar moves together


def write(tmp_path: Path, **changes: object) -> Path:
    shipped = Path(__file__).parents[2] / "infrastructure" / "data" / "default_campaign.json"
    data = json.loads(shipped.read_text(encoding="utf-8")) | changes
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_file_that_names_its_year_keeps_it_after_the_rectification_ends(
    tmp_path: Path,
) -> None:
    campaign = load_campaign(write(tmp_path, year=2026), timezone=SHANGHAI, today=date(2026, 12, 5))

    assert campaign.rectification_end == date(2026, 11, 30)


def test_full_dates_are_kept_as_written(tmp_path: Path) -> None:
    milestones = [
        {"code": "rectification_end", "label": "分类整改阶段结束", "due": "2025-11-30"},
        {"code": "office_reports_due", "label": "各办事处报送整改报告", "due": "12-10"},
    ]
    path = write(tmp_path, milestones=milestones)

    campaign = load_campaign(path, timezone=SHANGHAI, today=date(2026, 12, 5))

    assert campaign.rectification_end == date(2025, 11, 30)
    assert campaign.milestone("office_reports_due").due == date(2026, 12, 10)
