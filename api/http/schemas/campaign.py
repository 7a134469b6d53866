"""The campaign: its units (offices and who answers for whom) and its calendar."""

from __future__ import annotations

from datetime import date

from api.http.schemas.common import Read


class UnitRead(Read):
    code: str
    name: str
    parent: str | None
    is_office: bool
    sub_offices: list[str]


class MilestoneRead(Read):
    code: str
    label: str
    due: date
    passed: bool
    days_left: int


class LabelRead(Read):
    code: str
    label: str


class CategoryRead(LabelRead):
    subtypes: list[LabelRead]


class CampaignRead(Read):
    name: str
    timezone: str
    today: date
    rectification_end: date
    milestones: list[MilestoneRead]
    categories: list[CategoryRead]
    sources: list[LabelRead]
    measure_types: list[LabelRead]
    involves: list[LabelRead]
    roles: list[LabelRead]
