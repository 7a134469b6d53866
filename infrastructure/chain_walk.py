"""The chain recomputed over the log, a range at a time, naming the first break.

A ``Walk`` keeps where it stands (the last position and the hash recomputed there) between
ranges: walking the whole log is ``walk()`` then ``finish()``; walking it in two ranges is
``walk(upto=m)``, ``walk()``, ``finish()``, and gives the same answer. Every link is checked
against the one stored before it, so a range may also be walked on its own, in another
process, from the stored hash before it (``resume_after``): if the ranges before it hold no
break, that hash is the one the walk would have recomputed there, and the ``Part`` it
answers continues the walk exactly (``Walk.extend``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from infrastructure.chain import GENESIS, HEADER, POSITION
from infrastructure.chain_result import ChainBreak, EvidenceRef
from infrastructure.chain_sources import ChainSource

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


@dataclass(frozen=True)
class Part:
    """What walking a range found: where the walk started (the position and hash it resumed
    from) and its state at its end, to continue another with."""

    start_position: int | None
    start_hash: bytes
    head_position: int | None
    head_hash: bytes
    count: int
    broken: ChainBreak | None
    evidence: tuple[EvidenceRef, ...]
    seen: dict[int, bytes]

    def as_json(self) -> dict[str, Any]:
        broken = self.broken
        return {
            "start_position": self.start_position,
            "start_hash": self.start_hash.hex(),
            "head_position": self.head_position,
            "head_hash": self.head_hash.hex(),
            "count": self.count,
            "broken": None if broken is None else [broken.position, broken.kind, broken.detail],
            "evidence": [[ref.position, ref.sha256, ref.name] for ref in self.evidence],
            "seen": [[position, digest.hex()] for position, digest in self.seen.items()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        broken = data["broken"]
        return cls(
            start_position=data["start_position"],
            start_hash=bytes.fromhex(data["start_hash"]),
            head_position=data["head_position"],
            head_hash=bytes.fromhex(data["head_hash"]),
            count=data["count"],
            broken=None if broken is None else ChainBreak(*broken),
            evidence=tuple(EvidenceRef(*ref) for ref in data["evidence"]),
            seen={position: bytes.fromhex(digest) for position, digest in data["seen"]},
        )


class Walk:
    """``wanted``: the positions whose recomputed hash is kept in ``seen`` (checkpoints).
    ``on_batch`` is told the last position walked after each batch."""

    def __init__(
        self,
        source: ChainSource,
        *,
        wanted: Sequence[int] = (),
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.wanted = sorted(set(wanted))
        self.on_batch = on_batch
        self.start_position: int | None = None
        self.start_hash = GENESIS
        self.head_position: int | None = None
        self.head_hash = GENESIS
        self.count = 0
        self.broken: ChainBreak | None = None
        self.evidence: list[EvidenceRef] = []
        self.seen: dict[int, bytes] = {}
        self._next_wanted = 0

    def resume_after(self, position: int, digest: bytes) -> None:
        """Start after ``position`` as if the walk had recomputed ``digest`` there."""
        self.start_position, self.start_hash = position, digest
        self.head_position, self.head_hash = position, digest

    def walk(self, upto: int | None = None) -> bool:  # one tight loop, in one place for speed
        """The events after the head up to ``upto`` (None: the last); False once broken."""
        report = self.on_batch
        wanted, next_index = self.wanted, self._next_wanted
        next_wanted = wanted[next_index] if next_index < len(wanted) else None
        sha256 = hashlib.sha256
        prev_pos, prev_hash, count = self.head_position, self.head_hash, self.count
        batches = self.source.batches(after=prev_pos, upto=upto)
        try:
            for rows in batches:
                for pos, record, lprev, lhash in rows:
                    if lhash is None:
                        self._stop(
                            prev_pos, prev_hash, count, ChainBreak.inserted_without_link(pos)
                        )
                        return False
                    if lprev != prev_pos:
                        batches.close()  # the stream ends before the source is asked more
                        broken = self._relinked(pos, lprev, prev_pos)
                        self._stop(prev_pos, prev_hash, count, broken)
                        return False
                    digest = sha256(prev_hash + record).digest()
                    if digest != lhash:
                        batches.close()
                        broken = self._mismatch(pos, record, prev_pos)
                        self._stop(prev_pos, prev_hash, count, broken)
                        return False
                    if EVIDENCE_KEY in record:
                        self.evidence.extend(evidence_cited(pos, record))
                    while next_wanted is not None and next_wanted <= pos:
                        if next_wanted == pos:
                            self.seen[pos] = digest
                        next_index += 1
                        next_wanted = wanted[next_index] if next_index < len(wanted) else None
                    prev_pos, prev_hash = pos, digest
                    count += 1
                if report and prev_pos is not None:
                    report(prev_pos)
        finally:
            batches.close()
            self._next_wanted = next_index
        self._stop(prev_pos, prev_hash, count, None)
        return True

    def finish(self) -> None:
        """After the last range: a link past the last event names a removed record."""
        if self.broken is None:
            orphan = self.source.first_link_after(self.head_position)
            if orphan is not None:
                self.broken = ChainBreak.removed_record(orphan)

    def part(self) -> Part:
        return Part(
            start_position=self.start_position,
            start_hash=self.start_hash,
            head_position=self.head_position,
            head_hash=self.head_hash,
            count=self.count,
            broken=self.broken,
            evidence=tuple(self.evidence),
            seen=dict(self.seen),
        )

    def extend(self, part: Part) -> None:
        """Continue with a range walked elsewhere from where this walk stands; a part that
        starts anywhere else cannot continue it."""
        if self.broken is not None or (part.start_position, part.start_hash) != (
            self.head_position,
            self.head_hash,
        ):
            raise ValueError(
                f"a part walked from position {part.start_position} cannot continue a walk "
                f"that stands at {self.head_position}"
                + (" and has broken" if self.broken is not None else "")
            )
        self.head_position, self.head_hash = part.head_position, part.head_hash
        self.count += part.count
        self.broken = part.broken
        self.evidence.extend(part.evidence)
        self.seen.update(part.seen)

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
