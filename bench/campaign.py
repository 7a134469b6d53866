"""A national campaign for the scale runs: many provinces, each with its liaison offices.

Written as a campaign file (the same format as ``infrastructure/data/default_campaign.json``):
units are data, so the service needs nothing else to carry it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from infrastructure.demo_calendar import write_calendar_around

YEAR = 2026
CITIES = ("bj", "tj", "xa", "sd", "sh", "cq", "gz", "hn", "sz", "cd", "wh", "hz")
SUB_OFFICES = {"tj": "bj", "xa": "bj", "sd": "bj", "cq": "sh", "hn": "gz"}
MILESTONES = (
    ("work_group_named", "成立工作专班", "08-20"),
    ("self_inspection_submitted", "报送自查材料（资产台账、问题清单、整改方案）", "09-15"),
    ("self_inspection_end", "自查自纠阶段结束", "09-30"),
    ("spot_check_end", "抽查检查阶段结束，处置出租事项批复", "10-31"),
    ("rectification_end", "分类整改阶段结束", "11-30"),
    ("office_reports_due", "各办事处报送整改报告", "12-10"),
    ("consolidated_report_due", "向省政府办公厅报送总结报告", "12-20"),
)


def office_code(province: int, city: str) -> str:
    return f"p{province:02d}-{city}"


def national_campaign(provinces: int) -> dict[str, Any]:
    units: list[dict[str, Any]] = [
        {
            "code": "admin-bureau",
            "name": "机关事务管理局（国资处）",
            "parent": None,
            "is_office": False,
        },
        {"code": "finance", "name": "财政厅", "parent": None, "is_office": False},
    ]
    for p in range(1, provinces + 1):
        for city in CITIES:
            parent = SUB_OFFICES.get(city)
            units.append(
                {
                    "code": office_code(p, city),
                    "name": f"第{p}省驻{city.upper()}办事处",
                    "parent": office_code(p, parent) if parent else None,
                }
            )
    return {
        "name": "全国驻外办事处资产管理专项集中整治（基准测试）",
        "year": YEAR,
        "units": units,
        "milestones": [{"code": c, "label": label, "due": due} for c, label, due in MILESTONES],
    }


def write_campaign_file(directory: Path, *, provinces: int) -> Path:
    path = directory / f"campaign-{provinces}-provinces.json"
    path.write_text(json.dumps(national_campaign(provinces), ensure_ascii=False), encoding="utf-8")
    return path


def write_current_campaign_file(directory: Path, *, today: date) -> Path:
    """The shipped campaign, its calendar moved so that today is mid-campaign: the service
    checks deadlines against its real clock, and the shipped calendar may have ended."""
    return write_calendar_around(directory / "campaign-current.json", today)
