"""What a sheet import left behind: one record per file, one index entry per row.

An office's self-inspection sheet may be imported again (the same file, or a longer one):
each issue and item row is keyed by a hash of its content, and a key already on record
points at the case it created, so nothing is imported twice.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.recording import RecordedAggregate


class SheetImport(RecordedAggregate):
    """One file imported for one office: its SHA-256, name and what it created."""

    @staticmethod
    def create_id(office: str, sha256: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:sheet-import:{office}:{sha256}")

    @event("Imported")
    def __init__(
        self,
        *,
        office: str,
        sha256: str,
        file_name: str,
        rows: int,
        created: dict[str, int],
        existing: dict[str, int],
    ) -> None:
        self.office = office
        self.sha256 = sha256
        self.file_name = file_name
        self.rows = rows
        self.created = created
        self.existing = existing

    def summary(self) -> dict[str, Any]:
        return {
            "import_id": str(self.id),
            "office": self.office,
            "sha256": self.sha256,
            "file_name": self.file_name,
            "rows": self.rows,
            "created": dict(self.created),
            "existing": dict(self.existing),
            "imported_at": self.created_on.isoformat(),
        }


class ImportedRow(RecordedAggregate):
    """Index: this row content (an issue or an item) was imported as this case."""

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:imported-row:{key}")

    @event("Indexed")
    def __init__(self, *, key: str, case_id: UUID, sheet_import_id: UUID) -> None:
        self.key = key
        self.case_id = case_id
        self.sheet_import_id = sheet_import_id
