"""A file as an HTTP answer: its media type and a Chinese file name that survives."""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

from fastapi import Response

from domain.taxonomy import check_optional_text


def evidence_name(sha256: str, media_type: str) -> str:
    """What an evidence file is saved as when no name is asked: the hash's start and the
    media type's extension (盘点表.pdf's own name is the citation's, not the file's)."""
    return sha256[:12] + (mimetypes.guess_extension(media_type) or "")


def download_name(asked: str | None, *, sha256: str, media_type: str) -> str:
    """The name a download is saved as: the one asked for (``?name=``, the name a citation
    lists), held to a file name's rules and without any folder, else ``evidence_name``."""
    name = check_optional_text(asked or "", field="name", max_length=255, single_line=True)
    name = without_folders(name)
    return name if name.strip(".") else evidence_name(sha256, media_type)


def without_folders(name: str) -> str:
    """A file name as sent, without the sender's folders (C:\\扫描件\\表.pdf → 表.pdf)."""
    return re.split(r"[/\\]", name)[-1].strip()


def disposition(file_name: str) -> str:
    """Save as ``file_name`` (RFC 6266; an old client that reads no UTF-8 name: download)."""
    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(file_name)}"


def attachment(data: bytes, *, media_type: str, file_name: str) -> Response:
    return Response(
        content=data, media_type=media_type, headers={"Content-Disposition": disposition(file_name)}
    )
