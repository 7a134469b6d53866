"""Evidence files cited by recorded rectifications must still exist with their SHA-256."""

from __future__ import annotations

from typing import Any

from api.web.audit_text import verify_lines
from infrastructure.blobstore import DirectoryBlobStore
from infrastructure.chain_result import FailedFile
from tests.builders import World
from tests.integration.test_tamper_kit import (  # noqa: F401 - a fixture found by import
    Log,
    desk,
    world_on_each_backend,
)

PHOTO = b"%PDF-1.4 photo of the corrected asset ledger"


def rectified_with_evidence(world: World) -> tuple[str, int]:
    """Upload a file, cite it in a rectification; answer its sha256 and the event's position."""
    clerk = world["bj-clerk"]
    upload = world.container.blobs.upload(
        PHOTO,
        media_type="application/pdf",
        file_name="台账.pdf",
        account_id=clerk.principal.account_id,
    )
    ref: dict[str, Any] = {
        "file_name": upload.file_name,
        "media_type": upload.blob.media_type,
        "size": upload.blob.size,
        "sha256": upload.blob.sha256,
    }
    _, item_id = world.approved_item()
    result = world.app.record_rectification(clerk, item_id, description="已补登", evidence=[ref])
    assert result.position is not None
    return upload.blob.sha256, result.position


def alter(world: World, sha256: str, data: bytes | None) -> None:
    """Overwrite (or, with None, delete) the stored bytes, on disk or in the table."""
    blobs = world.container.blobs
    if isinstance(blobs, DirectoryBlobStore):
        path = blobs.path(sha256)
        path.unlink()
        if data is not None:
            path.write_bytes(data)
        return
    log = Log(world.container.settings.database_url)
    if data is None:
        log.sql("DELETE FROM rectify_evidence WHERE sha256 = %s", (sha256,))
    else:
        log.sql("UPDATE rectify_evidence SET bytes = %s WHERE sha256 = %s", (data, sha256))


def test_cited_evidence_that_is_intact_verifies(world: World) -> None:
    rectified_with_evidence(world)
    result = desk(world).verify(world["auditor"])
    assert result.ok, result.summary()
    assert result.evidence_checked == 1


def test_an_evidence_file_altered_in_the_store_is_reported_where_it_is_cited(
    world: World,
) -> None:
    sha256, position = rectified_with_evidence(world)
    alter(world, sha256, PHOTO.replace(b"corrected", b"falsified"))
    result = desk(world).verify(world["auditor"])
    assert not result.ok
    assert result.broken is None  # the log itself is intact
    assert [(p.position, p.sha256, p.problem) for p in result.evidence_problems] == [
        (position, sha256, "altered")
    ]


def test_an_evidence_file_gone_from_the_store_is_reported_missing(world: World) -> None:
    sha256, position = rectified_with_evidence(world)
    alter(world, sha256, None)
    result = desk(world).verify(world["auditor"])
    assert [(p.position, p.problem) for p in result.evidence_problems] == [(position, "missing")]
    assert "missing" in result.summary()


def test_a_file_cited_twice_is_one_failing_file_naming_both_citations(world: World) -> None:
    sha256, first = rectified_with_evidence(world)
    again, second = rectified_with_evidence(world)
    assert again == sha256
    alter(world, sha256, None)

    result = desk(world).verify(world["auditor"])

    assert result.failed_files == [FailedFile(sha256, "missing", (first, second))]
    texts = [text for _, text in verify_lines(result)]
    assert "核对佐证材料 1 份，其中 1 份有问题：" in texts
    assert f"佐证材料 {sha256[:16]}… 缺失（第 {first}、{second} 条记录引用）。" in texts
