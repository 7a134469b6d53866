"""A file sent to the browser: its type, a Chinese file name that survives, no caching."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response


def download(data: bytes, *, media_type: str, file_name: str) -> Response:
    disposition = f"attachment; filename=\"download\"; filename*=UTF-8''{quote(file_name)}"
    return Response(
        content=data,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
