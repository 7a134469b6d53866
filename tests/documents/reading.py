"""Read generated documents back the way a person's tools would."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

from docx import Document


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, in order; a title's lines (broken by hand,
    as Word would break them inside a word) read as the one line they are."""
    doc = Document(io.BytesIO(data))
    parts = [p.text.replace("\n", "") for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _poppler(tool: str, data: bytes, *args: str) -> str:
    found = shutil.which(tool)
    assert found is not None, f"make test installs poppler-utils ({tool})"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            [found, *args, str(path), *([] if tool in ("pdffonts", "pdftohtml") else ["-"])],
            capture_output=True,
            check=True,
        )
    return out.stdout.decode("utf-8")


def pdf_text(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext extracts it (spaces and breaks removed)."""
    return "".join(_poppler("pdftotext", data, "-enc", "UTF-8").split())


def pdf_fonts(data: bytes) -> str:
    """pdffonts' table: each font's name, type, and whether it is embedded."""
    return _poppler("pdffonts", data)


@dataclass(frozen=True)
class PdfLine:
    """One line of text as set on a page (each line of a table cell is one), with the faces
    it is set in."""

    page: int
    top: int
    left: int
    right: int
    text: str
    faces: frozenset[str]


def pdf_lines(data: bytes) -> list[PdfLine]:
    """Every line of the PDF, page by page, top to bottom, left to right, from poppler's
    ``pdftohtml -xml``: the pieces it reports (one per font subset) joined where they touch."""
    xml = _poppler("pdftohtml", data, "-xml", "-i", "-stdout")
    root = ElementTree.fromstring(xml)  # noqa: S314 - poppler's reading of our own PDF
    lines: list[PdfLine] = []
    for page in root.iter("page"):
        number = int(page.get("number", "0"))
        faces = {f.get("id"): f.get("family", "").partition("+")[2] for f in page.iter("fontspec")}
        pieces = sorted(
            (int(t.get("top", "0")), int(t.get("left", "0")), int(t.get("width", "0")), t)
            for t in page.iter("text")
        )
        for top, left, width, element in pieces:
            text, face = "".join(element.itertext()), faces.get(element.get("font"), "")
            last = lines[-1] if lines else None
            if last and (last.page, last.top) == (number, top) and abs(left - last.right) <= 1:
                lines[-1] = replace(
                    last, right=left + width, text=last.text + text, faces=last.faces | {face}
                )
            else:
                lines.append(PdfLine(number, top, left, left + width, text, frozenset({face})))
    return [replace(line, text=line.text.strip()) for line in lines if line.text.strip()]
