"""Evidence files still there and unchanged: each is stored under its own SHA-256.

The blob store (``infrastructure.blobstore``) keeps the bytes in a directory
(``<evidence_dir>/<sha[:2]>/<sha>``, SQLite) or a table (PostgreSQL); either way a file
whose bytes no longer hash to the name the event recorded was altered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

from infrastructure.chain_result import EvidenceProblem, EvidenceRef


class BlobReader(Protocol):
    def read(self, sha256: str) -> bytes | None: ...


def check_evidence(blobs: BlobReader, refs: Iterable[EvidenceRef]) -> list[EvidenceProblem]:
    """One problem per citation of a file that is missing or altered (each read once)."""
    problems: list[EvidenceProblem] = []
    verdicts: dict[str, str | None] = {}
    for ref in refs:
        sha = ref.sha256.lower()
        if sha not in verdicts:
            data = blobs.read(sha)
            if data is None:
                verdicts[sha] = "missing"
            else:
                verdicts[sha] = None if hashlib.sha256(data).hexdigest() == sha else "altered"
        verdict = verdicts[sha]
        if verdict == "missing":
            problems.append(EvidenceProblem(ref.position, sha, "missing"))
        elif verdict == "altered":
            problems.append(EvidenceProblem(ref.position, sha, "altered"))
    return problems
