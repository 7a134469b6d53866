"""Evidence files: upload once (stored by SHA-256), cite in a rectification, fetch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response

from api.http.deps import AppDep, BlobsDep, EvidenceAccessDep, ReaderDep, SettingsDep, WriterDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import disposition, download_name, without_folders
from api.http.schemas.evidence import EvidenceRead
from application.errors import NotFound
from domain.taxonomy import check_text
from infrastructure.blobstore import EvidenceTooLarge

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/evidence",
    tags=["evidence"],
    responses=problem_responses(401, 422, 429),
)

_MULTIPART_OVERHEAD = 64 * 1024


async def refuse_large_bodies(request: Request, settings: SettingsDep) -> None:
    """Refuse an oversized upload from its Content-Length, before reading the body."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > settings.evidence_max_bytes + _MULTIPART_OVERHEAD:
        raise EvidenceTooLarge(f"file is larger than {settings.evidence_max_bytes} bytes")


def _file_name(upload: UploadFile) -> str:
    """The uploaded file's own name, held to the rules of the name a rectification cites it
    by (one line of plain text, at most 255 characters), without the sender's folders."""
    name = without_folders(upload.filename or "")
    return check_text(name, field="file", max_length=255, single_line=True)


@router.post(
    "",
    status_code=201,
    summary="Upload an evidence file (size limit and allowed media types from the settings)",
    dependencies=[Depends(refuse_large_bodies)],
    responses=problem_responses(403, 413, 415),
)
def upload_evidence(
    file: Annotated[UploadFile, File(description="The evidence file")],
    caller: WriterDep,
    app: AppDep,
    blobs: BlobsDep,
) -> EvidenceRead:
    app.check_may_upload(caller)
    data = file.file.read(blobs.max_bytes + 1)
    upload = blobs.upload(
        data,
        media_type=(file.content_type or "application/octet-stream").split(";")[0].strip(),
        file_name=_file_name(file),
        account_id=caller.principal.account_id,
        idempotency_key=caller.idempotency_key,
    )
    return EvidenceRead(
        sha256=upload.blob.sha256,
        size=upload.blob.size,
        media_type=upload.blob.media_type,
        file_name=upload.file_name,
        href=f"/api/evidence/{upload.blob.sha256}",
    )


@router.get(
    "/{sha256}",
    summary="Download a file you uploaded or that a case you may read cites",
    response_class=Response,
    responses={
        200: {
            "description": "The file",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(404),
    },
)
def download_evidence(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    caller: ReaderDep,
    access: EvidenceAccessDep,
    name: Annotated[
        str | None,
        Query(
            max_length=255,
            description="The file name to save it as (a rectification's evidence lists it); "
            "default: the hash's first 12 characters with the media type's extension",
        ),
    ] = None,
) -> Response:
    blob = access.blobs.head(sha256)
    data = access.blobs.read(sha256) if blob else None
    if blob is None or data is None or not access.may_read(caller, sha256):
        raise NotFound(f"no evidence {sha256}")
    return Response(
        content=data,
        media_type=blob.media_type,
        headers={
            "ETag": f'"{sha256}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": disposition(
                download_name(name, sha256=sha256, media_type=blob.media_type)
            ),
            "Cache-Control": "private, max-age=86400, immutable",
        },
    )
