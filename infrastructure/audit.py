"""The audit desk: verify the chain, issue and list signed digests (CLI and HTTP API).

``AuditDesk.of(container)`` gives the three operations the API mounts:

- ``GET /api/audit/verify``   -> ``desk.verify(caller).as_dict()``
- ``GET /api/audit/digests``  -> ``desk.digests(caller)``
- ``POST /api/audit/digests`` -> ``desk.issue_digest(caller).as_dict()``

Each checks the caller's roles first (coordinator or auditor), raising ``PermissionDenied``.
``DigestError`` (no usable key, empty log, broken chain) answers 409; ``DigestRejected`` is
only ever reported inside a verify result, never raised by these methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from application.audit import IssuedDigest
from application.principal import Caller
from application.service import RectifyApp
from infrastructure.blob_check import BlobReader
from infrastructure.chain_result import Checkpoint, VerifyResult
from infrastructure.chain_verify import Progress, verify_chain
from infrastructure.container import Container, build_blob_store
from infrastructure.database import DatabaseUrl, SideDatabase
from infrastructure.digests import (
    FORMAT,
    Digest,
    DigestError,
    DigestRejected,
    PublicKey,
    check_digest,
    load_signing_key,
    parse_digest,
    sign_digest,
)
from infrastructure.settings import Settings


@dataclass(frozen=True)
class AuditDesk:
    app: RectifyApp
    settings: Settings
    blobs: BlobReader | None

    @classmethod
    def of(cls, container: Container) -> AuditDesk:
        return cls(app=container.app, settings=container.settings, blobs=container.blobs)

    def verify(
        self,
        caller: Caller,
        *,
        digests: Sequence[tuple[str, str | bytes]] = (),
        progress: Progress | None = None,
    ) -> VerifyResult:
        """Recompute the chain; check evidence and each kept digest (label, file content)."""
        self.app.authorize_audit(caller, "verify_chain")
        trusted = load_signing_key(self.settings).public if digests else None
        return verify_with_digests(
            self.settings, blobs=self.blobs, digests=digests, trusted=trusted, progress=progress
        )

    def issue_digest(self, caller: Caller) -> Digest:
        """Verify the chain, sign its head, record ``DigestIssued``; answer the digest."""
        self.app.authorize_audit(caller, "issue_digest")
        earlier = self.app.digest_recorded_for(caller)
        if earlier is not None:
            return Digest(format=FORMAT, application=self.app.name, **earlier)
        key = load_signing_key(self.settings)
        result = verify_chain(self.settings, blobs=None)
        if not result.chain_kept:
            raise DigestError("this store keeps no hash chain: there is nothing to sign")
        broken = result.first_break
        if broken is not None:
            raise DigestError(
                f"the chain is broken at position {broken.position} ({broken.kind}): "
                "no digest is issued"
            )
        if result.head_position is None or result.head_hash is None:
            raise DigestError("the log is empty: there is nothing to sign")
        digest = sign_digest(
            key,
            application=self.app.name,
            position=result.head_position,
            head_hash=result.head_hash,
            events=result.events,
            at=self.app.clock.now().astimezone(UTC).isoformat(),
        )
        self.app.record_digest(caller, digest.as_dict())
        return digest

    def digests(self, caller: Caller) -> list[dict[str, Any]]:
        """Every digest issued, oldest first: the file's fields plus who issued it when."""
        return [_listed(issued, self.app.name) for issued in self.app.issued_digests(caller)]


def _listed(issued: IssuedDigest, application: str) -> dict[str, Any]:
    return {
        "digest": {"format": FORMAT, "application": application, **issued.checkpoint},
        "digest_id": issued.digest_id,
        "issued_by": issued.actor,
        "recorded_at": issued.recorded_at.isoformat(),
        "log_position": issued.log_position,
    }


Digests = Sequence[tuple[str, str | bytes]]  # (label, the digest file's content)


def verify_with_digests(
    settings: Settings,
    *,
    blobs: BlobReader | None,
    digests: Digests,
    trusted: PublicKey | None,
    progress: Progress | None = None,
    spread: bool = False,
) -> VerifyResult:
    """Verify the chain and the evidence; each digest must be signed by ``trusted``."""
    checkpoints: list[Checkpoint] = []
    rejected: list[tuple[str, str]] = []
    for label, text in digests:
        try:
            digest = parse_digest(text)
            if trusted is None:
                raise DigestRejected("no public key to check it against")
            check_digest(digest, trusted)
        except DigestRejected as exc:
            rejected.append((label, str(exc)))
            continue
        checkpoints.append(digest.checkpoint(label))
    result = verify_chain(
        settings, blobs=blobs, checkpoints=checkpoints, progress=progress, spread=spread
    )
    return replace(result, rejected_digests=tuple(rejected))


def verify_store(
    settings: Settings,
    *,
    digests: Digests = (),
    trusted: PublicKey | None = None,
    progress: Progress | None = None,
) -> VerifyResult:
    """What ``rectify verify`` runs: read access to the log and evidence is all it needs
    (it creates no table), so an auditor's read-only role can run it. A long log is walked
    by ``RECTIFY_VERIFY_PROCESSES`` processes (the HTTP API's verify walks in its worker)."""
    url = DatabaseUrl.parse(settings.database_url)
    if url.dialect == "memory":
        return verify_chain(settings, blobs=None)
    db = SideDatabase(url, settings)
    try:
        return verify_with_digests(
            settings,
            blobs=build_blob_store(settings, db),
            digests=digests,
            trusted=trusted,
            progress=progress,
            spread=True,
        )
    finally:
        db.close()
