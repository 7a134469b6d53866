"""Rules an item's plan and claims must meet, apart from its lifecycle."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.errors import DeadlineOutOfRange, DuplicateMeasure, InvalidInput
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT, check_text

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def required_approvals(involves: str) -> tuple[str, ...]:
    """The coordination office always approves; Finance too for disposal and lease."""
    if involves in ("disposal", "lease"):
        return (COORDINATION_UNIT, FINANCE_UNIT)
    return (COORDINATION_UNIT,)


def check_deadline(deadline: date, *, today: date, campaign_end: date) -> date:
    if deadline < today:
        raise DeadlineOutOfRange(f"deadline {deadline} is in the past", field="deadline")
    if deadline > campaign_end:
        raise DeadlineOutOfRange(
            f"deadline {deadline} is after the campaign's rectification end {campaign_end}",
            field="deadline",
        )
    return deadline


def check_evidence(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files a rectification cites: at least one (a claim without proof is not a
    rectification), each a complete reference to an uploaded file."""
    if not evidence:
        raise InvalidInput(
            "cite at least one uploaded evidence file (POST /api/evidence)", field="evidence"
        )
    cleaned = []
    for n, ref in enumerate(evidence):
        where = f"evidence[{n}]"
        if set(ref) != {"file_name", "media_type", "size", "sha256"}:
            raise InvalidInput(
                f"{where} needs exactly file_name, media_type, size and sha256", field="evidence"
            )
        sha = str(ref["sha256"]).lower()
        if not _SHA256.match(sha):
            raise InvalidInput(f"{where}.sha256 is not a SHA-256 hex digest", field="evidence")
        size = ref["size"]
        if not isinstance(size, int) or size < 0:
            raise InvalidInput(f"{where}.size must be a non-negative integer", field="evidence")
        cleaned.append(
            {
                "file_name": check_text(
                    str(ref["file_name"]),
                    field=f"{where}.file_name",
                    max_length=255,
                    single_line=True,
                ),
                "media_type": check_text(
                    str(ref["media_type"]),
                    field=f"{where}.media_type",
                    max_length=100,
                    single_line=True,
                ),
                "size": size,
                "sha256": sha,
            }
        )
    return cleaned


def check_new_measure(items: Iterable[Any], measure: str, *, done: frozenset[str]) -> None:
    """A problem's items (``done``: the statuses of work finished) include no measure of this
    wording still under way: a second would plan the same work twice (its person and deadline
    change by reassignment and extension); one verified may be planned again."""
    wording = measure.strip()
    if any(i.status not in done and i.measure.strip() == wording for i in items):
        raise DuplicateMeasure(
            "the problem has a measure of this wording under way; reassign it or ask for an "
            "extension instead of planning it again",
            field="measure",
        )
