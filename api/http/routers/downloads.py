"""A file as an HTTP answer: its media type and a Chinese file name that survives."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response


def attachment(data: bytes, *, media_type: str, file_name: str) -> Response:
    disposition = f"attachment; filename=\"download\"; filename*=UTF-8''{quote(file_name)}"
    return Response(
        content=data, media_type=media_type, headers={"Content-Disposition": disposition}
    )
