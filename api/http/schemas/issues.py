"""Issues (问题): what was found, where, and its history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from api.http.schemas.common import ActorRead, Body, Code, Name, Read, ShortText, Text, one_of
from api.http.schemas.items import ItemRead
from domain.issue import MAX_ASSETS
from domain.taxonomy import CATEGORIES, SOURCES


class AssetIn(Body):
    code: Name = ""
    name: Name = ""


class IssueCreate(Body):
    """A problem found at one office (by itself, a spot-check, supervision or a tour)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "office": "bj",
                    "category": "basic_management",
                    "subtype": "ledger_incomplete",
                    "source": "self_inspection",
                    "title": "资产台账不健全",
                    "description": "部分办公设备未入账",
                    "assets": [{"code": "ZC-BJ-001", "name": "办公设备"}],
                }
            ]
        }
    )

    office: Code
    category: Code = Field(json_schema_extra=one_of(CATEGORIES))
    subtype: Code = Field(
        description="One of the category's sub-types (see GET /api/campaign)",
        examples=["ledger_incomplete"],
    )
    source: Code = Field(json_schema_extra=one_of(SOURCES))
    title: ShortText
    description: Text = ""
    assets: list[AssetIn] = Field(default_factory=list, max_length=MAX_ASSETS)
    found_on: date | None = Field(default=None, description="Defaults to today")


class CorrectionCreate(Body):
    """What the office recorded of an open problem, corrected; a field left out stays."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "资产台账不健全（车辆未入账）", "reason": "标题录入有误"}]
        }
    )

    reason: Text = Field(description="Why the record is corrected (kept in the trail)")
    category: Code | None = Field(default=None, json_schema_extra=one_of(CATEGORIES))
    subtype: Code | None = None
    title: ShortText | None = None
    description: Text | None = None
    assets: list[AssetIn] | None = Field(default=None, max_length=MAX_ASSETS)
    found_on: date | None = None


class ReopenCreate(Body):
    """A later check found a closed problem again."""

    reason: Text = Field(examples=["年度监督检查发现该问题仍然存在"])


class AssetRead(Read):
    code: str
    name: str


class IssueRead(Read):
    id: UUID
    version: int
    office: str
    category: str
    subtype: str
    source: str
    title: str
    description: str
    assets: list[AssetRead]
    found_on: date
    status: str
    items: list[UUID]
    verified_items: list[UUID]
    created_on: datetime
    modified_on: datetime

    @classmethod
    def of(cls, summary: dict[str, Any]) -> IssueRead:
        return cls.model_validate(summary)


class IssueDetailRead(IssueRead):
    """An issue with its items as they stand (or stood, with ``as_of``)."""

    item_details: list[ItemRead]


class HistoryEntryRead(Read):
    """One recorded event of a case: who, when, from which request, what changed."""

    position: int = Field(
        description="Its place in the event log (as the audit log and `rectify verify` name "
        "it): events one command recorded share their moment, and are listed in this order"
    )
    aggregate_id: UUID
    aggregate_type: str
    version: int
    event_type: str
    recorded_at: datetime
    actor: ActorRead
    request_id: str
    comment: str
    data: dict[str, Any]
