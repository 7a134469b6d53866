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

On PostgreSQL, ``spread`` walks a log of at least ``Spread.from_events`` events in
``Spread.processes`` processes, taking its ranges in turn in one exported snapshot
(``infrastructure.chain_pool``); the answer is the one a single walk gives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

import structlog

from application.service import RectifyApp
from infrastructure.blob_check import BlobReader, check_evidence
from infrastructure.chain_pool import RangePool, SnapshotNotShared, Spread
from infrastructure.chain_range import RANGES_PER_PROCESS, Range, cut
from infrastructure.chain_result import Checkpoint, CheckpointOutcome, VerifyResult
from infrastructure.chain_sources import ChainSource, PostgresChainSource, open_source
from infrastructure.chain_walk import Walk
from infrastructure.database import DatabaseUrl
from infrastructure.settings import Settings

logger = structlog.get_logger(__name__)

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
    spread: bool = False,
) -> VerifyResult:
    """The log named by the settings; evidence is checked when a blob store is given.
    ``spread``: a long log is walked by ``RECTIFY_VERIFY_PROCESSES`` processes."""
    spread_as = Spread(
        processes=settings.verify_processes if spread else 1,
        from_events=settings.verify_spread_events,
        lock_timeout=settings.lock_timeout,
        connect_timeout=settings.connect_timeout,
    )
    return verify_chain_at(
        settings.database_url,
        blobs=blobs,
        checkpoints=checkpoints,
        progress=progress,
        spread=spread_as,
    )


def verify_chain_at(
    database_url: str,
    *,
    events_table: str | None = None,
    blobs: BlobReader | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    progress: Progress | None = None,
    spread: Spread = Spread(),
) -> VerifyResult:
    url = DatabaseUrl.parse(database_url)
    if url.dialect == "memory":
        return VerifyResult(chain_kept=False, head_position=None, head_hash=None, events=0)
    started = time.perf_counter()
    table = events_table or events_table_for(url)
    wanted = [c.position for c in checkpoints]
    walk, walkers = _walk_log(url, table, wanted, progress, spread)
    problems = check_evidence(blobs, walk.evidence) if blobs is not None else ()
    return VerifyResult(
        chain_kept=True,
        head_position=walk.head_position,
        head_hash=walk.head_hash.hex() if walk.head_position is not None else None,
        events=walk.count,
        broken=walk.broken,
        evidence_checked=len({ref.sha256 for ref in walk.evidence}),
        evidence_problems=tuple(problems),
        checkpoints=tuple(_outcome(c, walk) for c in sorted(checkpoints, key=lambda c: c.position)),
        seconds=time.perf_counter() - started,
        processes=walkers,
    )


def _walk_log(
    url: DatabaseUrl, table: str, wanted: list[int], progress: Progress | None, spread: Spread
) -> tuple[Walk, int]:
    """The whole log walked up to its first break, and by how many processes."""
    source = open_source(url, events_table=table)
    try:
        return _walk_source(source, url, table, wanted, progress, spread)
    except SnapshotNotShared as exc:
        logger.warning("verify_in_one_process", reason=str(exc))
    finally:
        source.close()
    return _walk_log(url, table, wanted, progress, replace(spread, processes=1))


def _walk_source(
    source: ChainSource,
    url: DatabaseUrl,
    table: str,
    wanted: list[int],
    progress: Progress | None,
    spread: Spread,
) -> tuple[Walk, int]:
    last = source.max_position() or 0
    tell = progress and partial(_told, progress, last)
    if tell:
        tell(0)
    if isinstance(source, PostgresChainSource) and (
        ranges := _ranges(source, last, spread, wanted)
    ):
        first = ranges[0].after
        pool = RangePool(
            source,
            conninfo=url.conninfo(),
            events_table=table,
            ranges=ranges,
            last=last,
            spread=spread,
            on_progress=tell and (lambda done: tell(first + done)),
        )
        walk = Walk(source)
        for part in pool.parts():
            walk.extend(part)
        walkers = pool.walkers
    else:
        walk = Walk(source, wanted=wanted, on_batch=tell)
        walk.walk()
        walkers = 1
    walk.finish()
    return walk, walkers


def _told(progress: Progress, last: int, position: int) -> None:
    progress(position, last)


def _ranges(
    source: PostgresChainSource, last: int, spread: Spread, wanted: list[int]
) -> list[Range]:
    """The ranges a long log is walked in (only PostgreSQL shares a snapshot), or none when
    one process should walk it: a short log."""
    if spread.processes < 2:
        return []
    first = source.min_position()
    if first is None or last - first + 1 < spread.from_events:
        return []
    return cut(first, last, spread.processes * RANGES_PER_PROCESS, wanted)


def _outcome(checkpoint: Checkpoint, walk: Walk) -> CheckpointOutcome:
    position = checkpoint.position
    if walk.broken is not None and position >= walk.broken.position:
        return CheckpointOutcome.unreached(checkpoint, walk.broken.position)
    if position in walk.seen:
        if walk.seen[position] == checkpoint.hash:
            return CheckpointOutcome.extended(checkpoint, walk.head_position)
        return CheckpointOutcome.rewritten(checkpoint)
    return CheckpointOutcome.gone(checkpoint, walk.head_position)
