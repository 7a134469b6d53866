"""Load the campaign (units and calendar) from a JSON file; the default ships with us."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from domain.campaign import Campaign, Milestone, Unit


class CampaignFileError(Exception):
    pass


def _due(value: str, year: int) -> date:
    try:
        if len(value) == 5:  # MM-DD within the campaign year
            return date.fromisoformat(f"{year}-{value}")
        return date.fromisoformat(value)
    except ValueError:
        raise CampaignFileError(f"bad milestone date {value!r}") from None


def parse_campaign(data: dict[str, Any], *, timezone: str, this_year: int) -> Campaign:
    try:
        year = int(data.get("year") or this_year)
        units = tuple(
            Unit(
                code=u["code"],
                name=u["name"],
                parent=u.get("parent"),
                is_office=bool(u.get("is_office", True)),
            )
            for u in data["units"]
        )
        milestones = tuple(
            Milestone(code=m["code"], label=m["label"], due=_due(m["due"], year))
            for m in data["milestones"]
        )
        campaign = Campaign(
            name=data["name"], timezone=timezone, units=units, milestones=milestones
        )
    except (KeyError, TypeError) as exc:
        raise CampaignFileError(f"campaign file is missing or misnames a field: {exc}") from None
    codes = {u.code for u in units}
    for unit in units:
        if unit.parent is not None and unit.parent not in codes:
            raise CampaignFileError(f"unit {unit.code!r} names unknown parent {unit.parent!r}")
    try:
        campaign.rectification_end  # noqa: B018 - the one milestone the rules need
    except KeyError:
        raise CampaignFileError("campaign file needs a 'rectification_end' milestone") from None
    return campaign


def shipped_campaign() -> dict[str, Any]:
    """The campaign plan's own units and calendar (``data/default_campaign.json``)."""
    text = (
        resources.files("infrastructure")
        .joinpath("data/default_campaign.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def load_campaign(path: Path | None, *, timezone: str, this_year: int) -> Campaign:
    if path is None:
        return parse_campaign(shipped_campaign(), timezone=timezone, this_year=this_year)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CampaignFileError(f"campaign file is not valid JSON: {exc}") from None
    return parse_campaign(data, timezone=timezone, this_year=this_year)
