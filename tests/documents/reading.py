"""Read generated documents back the way a person's tools would."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, in order."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
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
            [found, *args, str(path), *([] if tool == "pdffonts" else ["-"])],
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
