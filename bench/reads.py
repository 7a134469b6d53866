"""Reads at scale: the queries people run, timed in process against the read models.

Each is what the HTTP route behind it calls (``ReadModels`` for lists, ``case_history`` of
the application for one case), so the figures are the query's own cost; the HTTP layer adds
its constant on top (see the service figures). Parameters vary from call to call.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from application.principal import Caller, Grant, Principal
from bench.generator import Generated
from bench.stats import Latency
from infrastructure.container import Container

READS = ("ledger_page", "case_history", "audit_by_actor", "progress", "as_of_office")
LEDGER_STATUSES = ("approved", "rectified", "verified", "approval_requested")

AUDITOR = Caller(
    Principal(
        account_id=uuid5(NAMESPACE_URL, "bench:reader"),
        username="bench-reader",
        display_name="基准测试审计",
        grants=(Grant(role="auditor", unit="admin-bureau"),),
    ),
    request_id="bench-reads",
)


def top_offices(container: Container) -> list[str]:
    return [u.code for u in container.campaign.offices() if u.parent is None]


def queries(
    container: Container, generated: Generated, rng: random.Random
) -> dict[str, Callable[[], object]]:
    models, app = container.read_models, container.app
    tops = top_offices(container)
    clerks = generated.clerks
    if generated.first is None or generated.last is None or not generated.sample_issues:
        raise ValueError("an empty campaign has nothing to read")
    first, last = generated.first, generated.last
    middle = first + (last - first) / 2

    def ledger_page() -> object:
        return models.items(
            offices=None,
            office=rng.choice(tops),
            status=rng.choice(LEDGER_STATUSES),
            page=2,
            page_size=50,
        )

    def case_history() -> object:
        return app.case_history(AUDITOR, rng.choice(generated.sample_issues))

    def audit_by_actor() -> object:
        since = first + (last - first) * rng.random() * 0.8
        return models.audit_events(
            actor=rng.choice(clerks), since=since, until=since + timedelta(days=14), page_size=50
        )

    def progress() -> object:
        return models.progress(offices=None)

    def as_of_office() -> object:
        return models.items(
            offices=None, office=rng.choice(generated.offices), as_of=middle, page_size=50
        )

    return {
        "ledger_page": ledger_page,
        "case_history": case_history,
        "audit_by_actor": audit_by_actor,
        "progress": progress,
        "as_of_office": as_of_office,
    }


MIN_SAMPLES = 5


def measure_reads(
    container: Container,
    generated: Generated,
    *,
    repeats: int,
    slow_repeats: int,
    seconds_each: float = 30.0,
    seed: int = 6,
) -> dict[str, Latency]:
    """Each query once to warm up, then ``repeats`` times (``slow_repeats`` for as-of), or
    as many as fit in ``seconds_each`` (never fewer than five)."""
    rng = random.Random(seed)
    found: dict[str, Latency] = {}
    for name, query in queries(container, generated, rng).items():
        query()
        times: list[float] = []
        deadline = time.perf_counter() + seconds_each
        for _ in range(slow_repeats if name == "as_of_office" else repeats):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
            if started > deadline and len(times) >= MIN_SAMPLES:
                break
        found[name] = Latency.of(times)
    return found
