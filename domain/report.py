"""Report: a rectification report (整改情况报告) as submitted, pinned by its files' SHA-256.

An office's report covers the office and its sub-offices; the consolidated report, written by
the coordination office for the Provincial Government General Office, covers every office.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import InvalidInput
from domain.recording import RecordedAggregate
from domain.taxonomy import check_text

OFFICE: Final = "office"
CONSOLIDATED: Final = "consolidated"
KINDS: Final = {OFFICE: "整改情况报告", CONSOLIDATED: "专项集中整治情况报告"}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_files(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not files:
        raise InvalidInput("a report has at least one file", field="files")
    for n, ref in enumerate(files):
        if set(ref) != {"format", "file_name", "media_type", "size", "sha256"}:
            raise InvalidInput(
                f"files[{n}] needs format, file_name, media_type, size and sha256", field="files"
            )
        if not _SHA256.match(str(ref["sha256"])):
            raise InvalidInput(f"files[{n}].sha256 is not a SHA-256 hex digest", field="files")
    return files


class Report(RecordedAggregate):
    @event("Submitted")
    def __init__(
        self,
        *,
        kind: str,
        office: str,
        title: str,
        covers: list[str],
        files: list[dict[str, Any]],
        issue_ids: list[UUID],
        reported_issue_ids: list[UUID],
        statistics: dict[str, Any],
        digest: dict[str, Any] | None,
        submitted_on: date,
    ) -> None:
        self.kind = kind
        self.office = office
        self.title = title
        self.covers = covers
        self.files = files
        self.issue_ids = issue_ids
        self.reported_issue_ids = reported_issue_ids
        self.statistics = statistics
        self.digest = digest
        self.submitted_on = submitted_on

    @classmethod
    def submit(
        cls,
        *,
        kind: str,
        office: str,
        title: str,
        covers: list[str],
        files: list[dict[str, Any]],
        issue_ids: list[UUID],
        reported_issue_ids: list[UUID],
        statistics: dict[str, Any],
        digest: dict[str, Any] | None,
        today: date,
    ) -> Report:
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
        if not set(reported_issue_ids) <= set(issue_ids):
            raise InvalidInput("a report marks only issues it includes", field="issue_ids")
        return cls(
            kind=kind,
            office=office,
            title=check_text(title, field="title", max_length=200, single_line=True),
            covers=sorted(covers),
            files=check_files(files),
            issue_ids=list(issue_ids),
            reported_issue_ids=list(reported_issue_ids),
            statistics=statistics,
            digest=digest,
            submitted_on=today,
        )

    def file(self, fmt: str) -> dict[str, Any]:
        for ref in self.files:
            if ref["format"] == fmt:
                return ref
        raise InvalidInput(f"the report has no {fmt} file", field="format")

    @property
    def sha256(self) -> str:
        return str(self.files[0]["sha256"])

    def summary(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "office": self.office,
            "title": self.title,
            "covers": list(self.covers),
            "files": list(self.files),
            "issue_ids": [str(i) for i in self.issue_ids],
            "reported_issue_ids": [str(i) for i in self.reported_issue_ids],
            "statistics": self.statistics,
            "digest": self.digest,
            "submitted_on": self.submitted_on.isoformat(),
            "submitted_at": self.created_on.isoformat(),
        }
