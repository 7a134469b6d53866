"""Document rendering (DOCX, PDF) and keeping (content-addressed), behind the app's ports."""

from __future__ import annotations

from application.paperwork import FORMATS, FormalDocument
from application.service import RectifyApp
from domain.errors import InvalidInput
from infrastructure.database import SideDatabase
from infrastructure.documents.digest_source import LoggedDigests
from infrastructure.documents.store import SqlDocumentStore


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


def attach_paperwork(app: RectifyApp, db: SideDatabase) -> None:
    """Give the application its renderer, its document store and the digest source."""
    store = SqlDocumentStore(db)
    store.create_tables()
    app.use_paperwork(
        renderer=OfficeDocumentRenderer(),
        store=store,
        digests=LoggedDigests(app),
    )
