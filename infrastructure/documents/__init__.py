"""Document rendering (DOCX, PDF) and keeping (content-addressed), behind the app's ports."""

from __future__ import annotations

from application.paperwork import FORMATS, FormalDocument
from application.service import RectifyApp
from domain.errors import InvalidInput
from infrastructure.database import SideDatabase
from infrastructure.documents.digest_source import LoggedDigests
from infrastructure.documents.docx_render import render_docx
from infrastructure.documents.pdf_render import render_pdf
from infrastructure.documents.store import SqlDocumentStore


class OfficeDocumentRenderer:
    """Renders a FormalDocument as DOCX (python-docx) or PDF (reportlab)."""

    def render(self, document: FormalDocument, fmt: str) -> bytes:
        if fmt == "docx":
            return render_docx(document)
        if fmt == "pdf":
            return render_pdf(document)
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")


def attach_paperwork(app: RectifyApp, db: SideDatabase) -> SqlDocumentStore:
    """Give the application its renderer, its document store and the digest source."""
    store = SqlDocumentStore(db)
    store.create_tables()
    app.use_paperwork(renderer=OfficeDocumentRenderer(), store=store, digests=LoggedDigests(app))
    return store
