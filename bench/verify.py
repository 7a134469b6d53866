"""Verification: the hash chain recomputed over the whole log (what ``rectify verify`` runs)."""

from __future__ import annotations

from bench.heap import like_a_worker
from bench.stats import Rate
from infrastructure.chain_verify import verify_chain
from infrastructure.settings import load_settings


def measure_verify(database_url: str) -> tuple[Rate, int]:
    """The rate, and how many processes walked the log."""
    settings = load_settings(database_url=database_url)
    with like_a_worker():  # as `rectify verify` runs it: a long log spread over processes
        result = verify_chain(settings, blobs=None, spread=True)
    if not result.ok:
        raise RuntimeError(f"the generated log does not verify: {result.summary()}")
    return Rate(items=result.events, seconds=result.seconds), result.processes
