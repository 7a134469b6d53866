"""Document rendering (DOCX, PDF) and keeping (content-addressed), behind the app's ports."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from uuid import UUID

from application.paperwork import FORMATS, FormalDocument
from application.service import RectifyApp
from domain.errors import InvalidInput
from infrastructure.database import SideDatabase
from infrastructure.documents.digest_source import LoggedDigests
from infrastructure.documents.store import SqlDocumentStore
from projections.queries import ReadModels


class OfficeDocumentRenderer:
    """Renders a FormalDocument as DOCX (python-docx) or PDF (reportlab).

    Each library is imported when its first document is rendered: together they would add
    about 0.1 s to the start of every API worker and every CLI command."""

    def render(self, document: FormalDocument, fmt: str) -> bytes:
        if fmt == "docx":
            from infrastructure.documents.docx_render import render_docx

            return render_docx(document)
        if fmt == "pdf":
            from infrastructure.documents.pdf_render import render_pdf

            return render_pdf(document)
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")


class AuditLogPositions:
    """The log positions of an aggregate's events, read from the audit log view (indexed by
    case and by aggregate) once it has reached the log's head, so a notice cites the same
    positions at every download; if the view stays behind past the wait a write's answer
    allows, the events it has not reached are left out."""

    def __init__(self, read_models: ReadModels, caught_up: Callable[[], object]) -> None:
        self.read_models = read_models
        self.caught_up = caught_up

    def of(self, aggregate_ids: Collection[UUID]) -> Mapping[tuple[str, int], int]:
        self.caught_up()
        found: dict[tuple[str, int], int] = {}
        for aggregate_id in aggregate_ids:
            for row in self.read_models.case_events(aggregate_id):
                found[(str(row.aggregate_id), row.version)] = row.position
        return found


def attach_paperwork(
    app: RectifyApp,
    db: SideDatabase,
    read_models: ReadModels,
    caught_up: Callable[[], object],
) -> None:
    """Give the application its renderer, its document store, the digest source and where
    to find the log positions a notice cites."""
    store = SqlDocumentStore(db)
    store.create_tables()
    app.use_paperwork(
        renderer=OfficeDocumentRenderer(),
        store=store,
        digests=LoggedDigests(app),
        positions=AuditLogPositions(read_models, caught_up),
    )
