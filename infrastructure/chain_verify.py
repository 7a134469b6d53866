"""The verifier: recompute the hash chain from the stored events and name the first break.

``verify_chain(settings)`` answers ``ok`` with the head (position, hash, event count), or the
first bad position and the kind of break:

- ``changed``: the record at that position no longer hashes to its link;
- ``removed``: a record (or its link) that the chain names is gone;
- ``inserted``: a record the chain does not know, or one slipped between two links;
- ``reordered``: the record at that position hashes correctly at another position.

Checkpoints (verified digests) prove more: the hash recomputed at each checkpoint's position
must equal the one signed then, which catches a rewrite that recomputed the whole chain.
Every evidence file an event cites must still exist with its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from contextlib import suppress

from application.service import RectifyApp
from infrastructure.blob_check import BlobReader, check_evidence
from infrastructure.chain import GENESIS, HEADER, POSITION
from infrastructure.chain_result import (
    ChainBreak,
    Checkpoint,
    CheckpointOutcome,
    EvidenceRef,
    VerifyResult,
)
from infrastructure.chain_sources import ChainSource, open_source
from infrastructure.database import DatabaseUrl
from infrastructure.settings import Settings

Progress = Callable[[int, int], None]


def events_table_for(url: DatabaseUrl) -> str:
    """The library names the table after the application on PostgreSQL only."""
    return f"{RectifyApp.name.lower()}_events" if url.dialect == "postgres" else "stored_events"


def verify_chain(
    settings: Settings,
    *,
    blobs: BlobReader | None,
    checkpoints: Sequence[Checkpoint] = (),
    progress: Progress | None = None,
) -> VerifyResult:
    """The log named by the settings; evidence is checked when a blob store is given."""
    return verify_chain_at(
        settings.database_url,
        blobs=blobs,
        checkpoints=checkpoints,
        progress=progress,
    )


def verify_chain_at(
    database_url: str,
    *,
    events_table: str | None = None,
    blobs: BlobReader | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    progress: Progress | None = None,
) -> VerifyResult:
    url = DatabaseUrl.parse(database_url)
    if url.dialect == "memory":
        return VerifyResult(chain_kept=False, head_position=None, head_hash=None, events=0)
    started = time.perf_counter()
    source = open_source(url, events_table=events_table or events_table_for(url))
    try:
        walk = _Walk(source, checkpoints=checkpoints, progress=progress)
        walk.run()
    finally:
        source.close()
    problems = check_evidence(blobs, walk.evidence) if blobs is not None else ()
    return VerifyResult(
        chain_kept=True,
        head_position=walk.head_position,
        head_hash=walk.head_hash.hex() if walk.head_position is not None else None,
        events=walk.count,
        broken=walk.broken,
        evidence_checked=len({ref.sha256 for ref in walk.evidence}),
        evidence_problems=tuple(problems),
        checkpoints=walk.outcomes(),
        seconds=time.perf_counter() - started,
    )


EVIDENCE_KEY = b'"evidence"'
_JSON = json.JSONDecoder()


def evidence_cited(position: int, record: bytes) -> list[EvidenceRef]:
    """The files a record cites: every ``"evidence"`` list in its state, each decoded on its
    own. A quote inside a JSON string is escaped, so the key's quoted name followed by a
    colon is a key wherever it is found: nested lists are found too, whatever the spacing.
    Decoding the whole state of each citing event instead was a fifth of the walk's time."""
    _, _, id_length, topic_length, _ = HEADER.unpack_from(record)
    state = record[HEADER.size + id_length + topic_length :]
    found: list[EvidenceRef] = []
    at = state.find(EVIDENCE_KEY)
    while at >= 0:
        after = at + len(EVIDENCE_KEY)
        rest = state[after:].lstrip()  # JSON's whitespace is ASCII
        refs = None
        if rest.startswith(b":"):  # a key, not the word as a value
            # not UTF-8, or no JSON value there: nothing cited
            with suppress(ValueError):
                refs = _JSON.raw_decode(rest[1:].lstrip().decode())[0]
        for ref in refs if isinstance(refs, list) else ():
            if isinstance(ref, dict) and isinstance(ref.get("sha256"), str):
                found.append(
                    EvidenceRef(position=position, sha256=ref["sha256"], name=ref.get("file_name"))
                )
        at = state.find(EVIDENCE_KEY, after)
    return found


class _Walk:
    def __init__(
        self,
        source: ChainSource,
        *,
        checkpoints: Sequence[Checkpoint],
        progress: Progress | None,
    ) -> None:
        self.source = source
        self.checkpoints = sorted(checkpoints, key=lambda c: c.position)
        self.progress = progress
        self.head_position: int | None = None
        self.head_hash = GENESIS
        self.count = 0
        self.broken: ChainBreak | None = None
        self.evidence: list[EvidenceRef] = []
        self.seen: dict[int, bytes] = {}  # recomputed hash at each checkpoint position

    def run(self) -> None:  # one tight loop, kept in one place for speed
        total = self.source.max_position() or 0
        report = self.progress
        if report:
            report(0, total)
        wanted = sorted({c.position for c in self.checkpoints})
        next_wanted = wanted.pop(0) if wanted else None
        sha256 = hashlib.sha256
        prev_pos: int | None = None
        prev_hash = GENESIS
        count = 0
        batches = self.source.batches()
        for rows in batches:
            for pos, record, lprev, lhash in rows:
                if lhash is None:
                    self._stop(prev_pos, prev_hash, count, ChainBreak.inserted_without_link(pos))
                    return
                if lprev != prev_pos:
                    batches.close()  # the stream ends before the source is asked more
                    self._stop(prev_pos, prev_hash, count, self._relinked(pos, lprev, prev_pos))
                    return
                digest = sha256(prev_hash + record).digest()
                if digest != lhash:
                    batches.close()
                    self._stop(prev_pos, prev_hash, count, self._mismatch(pos, record, prev_pos))
                    return
                if EVIDENCE_KEY in record:
                    self.evidence.extend(evidence_cited(pos, record))
                while next_wanted is not None and next_wanted <= pos:
                    if next_wanted == pos:
                        self.seen[pos] = digest
                    next_wanted = wanted.pop(0) if wanted else None
                prev_pos, prev_hash = pos, digest
                count += 1
            if report:
                report(prev_pos or 0, total)
        orphan = self.source.first_link_after(prev_pos)
        self._stop(
            prev_pos,
            prev_hash,
            count,
            None if orphan is None else ChainBreak.removed_record(orphan),
        )

    def _stop(
        self, position: int | None, digest: bytes, count: int, broken: ChainBreak | None
    ) -> None:
        self.head_position, self.head_hash, self.count, self.broken = (
            position,
            digest,
            count,
            broken,
        )

    def _relinked(self, position: int, linked_to: int | None, walked: int | None) -> ChainBreak:
        """The link at ``position`` names another predecessor than the record before it."""
        if linked_to is not None and (walked is None or linked_to > walked):
            return ChainBreak.removed_record(linked_to)
        first_unlinked = self.source.first_position_after(linked_to)
        return ChainBreak.inserted_between(first_unlinked or position, linked_to)

    def _mismatch(self, pos: int, record: bytes, after: int | None) -> ChainBreak:
        """Changed, or moved here from another position (its hash fits a later link)."""
        body = record[8:]  # the record without its position
        parent: int | None = None if after is None else -1  # -1: the first link is `after`
        parent_hash = GENESIS if after is None else b""
        for lpos, lprev, lhash in self.source.links(after=None if after is None else after - 1):
            if lpos != pos and lprev == parent and parent_hash:
                moved = POSITION.pack(lpos) + body
                if hashlib.sha256(parent_hash + moved).digest() == lhash:
                    return ChainBreak.reordered(pos, lpos)
            parent, parent_hash = lpos, lhash
        return ChainBreak.changed(pos)

    def outcomes(self) -> tuple[CheckpointOutcome, ...]:
        return tuple(self._outcome(c) for c in self.checkpoints)

    def _outcome(self, checkpoint: Checkpoint) -> CheckpointOutcome:
        position = checkpoint.position
        if self.broken is not None and position >= self.broken.position:
            return CheckpointOutcome.unreached(checkpoint, self.broken.position)
        if position in self.seen:
            if self.seen[position] == checkpoint.hash:
                return CheckpointOutcome.extended(checkpoint, self.head_position)
            return CheckpointOutcome.rewritten(checkpoint)
        return CheckpointOutcome.gone(checkpoint, self.head_position)
