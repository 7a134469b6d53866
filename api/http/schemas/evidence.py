"""Evidence files, stored by their SHA-256."""

from __future__ import annotations

from api.http.schemas.common import Read


class EvidenceRead(Read):
    """What to cite in a rectification: its ``sha256`` and ``file_name``."""

    sha256: str
    size: int
    media_type: str
    file_name: str
    href: str
