"""``python -m bench``: every part in one run, a table printed and the results written.

Plans: ``quick`` (``make bench-quick``: 10k events, short windows, under 3 minutes),
``full`` (``make bench``: 10k, 100k and 1M events, longer windows; a size whose estimated
time would overrun ``--budget-minutes`` is not started, and the results say so), ``tiny``
(what ``make test`` runs to check that the code works: no figure of it means anything).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from application.ports import FixedClock
from bench.campaign import write_campaign_file
from bench.catchup import (
    measure_catch_up,
    measure_copy_floor,
    measure_run_catch_up,
    run_shares,
)
from bench.generator import CampaignGenerator
from bench.postgres import Server, bench_server
from bench.reads import measure_reads
from bench.report import render
from bench.serving import REPO
from bench.stats import Throughput, ratio
from bench.targets import judge_all
from bench.verify import measure_verify
from bench.write_floor import measure_floor, measure_pgbench
from bench.write_library import CHAINED, measure_library
from bench.write_service import ServiceBench
from infrastructure.container import build_container
from infrastructure.settings import load_settings

CLIENTS = (1, 16)
DEFAULT_OUT = REPO / "bench" / "results" / "latest.json"
READS_AT = datetime(2026, 11, 20, 4, tzinfo=UTC)  # "today" for the lights of the scale runs


@dataclass(frozen=True)
class Plan:
    name: str
    sizes: tuple[int, ...]
    seconds: float  # each write measurement (floor, library, service)
    warmup: float
    repeats: int  # each read query
    slow_repeats: int  # the as-of read
    ready_attempts: int
    provinces: int
    clerks: int  # accounts the service's wrk threads act as
    budget_seconds: float  # the scale part stops starting sizes past this
    spread_events: int | None = None  # RECTIFY_PROJECTION_SPREAD_EVENTS (None: the default)


PLANS = {
    "tiny": Plan("tiny", (400,), 1, 0.2, 3, 1, 1, 2, 2, 600, spread_events=1),
    "quick": Plan("quick", (10_000,), 4, 1, 40, 5, 1, 31, 16, 600),
    "full": Plan("full", (10_000, 100_000, 1_000_000), 10, 2, 200, 10, 3, 31, 16, 45 * 60),
}


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    return done.stdout.strip() or "?"


class Bench:
    def __init__(self, plan: Plan, server: Server, workdir: Path, *, workers: int) -> None:
        self.plan = plan
        self.server = server
        self.workdir = workdir
        self.workers = workers
        self.results: dict[str, Any] = {
            "meta": {
                "plan": plan.name,
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "cpus": os.cpu_count(),
                "commit": git_commit(),
                "postgres": server.describe(),
                "sizes": list(plan.sizes),
                "seconds_per_write_measurement": plan.seconds,
            },
            "write": {},
            "scale": {},
            "scale_skipped": [],
            "footprint": {},
            "errors": {},
        }

    def part(self, name: str, run: Callable[[], None]) -> None:
        """Run one part; a failure is recorded and the other parts still run."""
        started = time.perf_counter()
        print(f"… {name}", flush=True)
        try:
            run()
        except Exception as exc:
            self.results["errors"][name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)

    # Write path --------------------------------------------------------------------------

    def _threads(self, measure: Callable[..., Throughput]) -> dict[str, Any]:
        """One measurement per number of clients, each on a fresh database."""
        return {
            str(n): measure(
                self.server.database(),
                clients=n,
                seconds=self.plan.seconds,
                warmup=self.plan.warmup,
            ).as_dict()
            for n in CLIENTS
        }

    def write_floor(self) -> None:
        """Measured twice, first and after the service, and averaged: the machine's other
        load drifts over a run, and every ratio divides by the floor."""
        passes = self.results["write"].setdefault("floor_passes", [])
        passes.append(self._threads(measure_floor))
        self.results["write"]["floor"] = {
            str(n): {
                key: sum(p[str(n)][key] for p in passes) / len(passes) for key in passes[0][str(n)]
            }
            for n in CLIENTS
        }
        if len(passes) > 1:
            return
        pgbench = {
            str(n): measure_pgbench(self.server.database(), clients=n, seconds=self.plan.seconds)
            for n in CLIENTS
        }
        if all(v is not None for v in pgbench.values()):
            self.results["write"]["pgbench"] = pgbench

    def write_library(self) -> None:
        self.results["write"]["library"] = self._threads(measure_library)
        chained = partial(measure_library, persistence=CHAINED)
        self.results["write"]["library_chained"] = self._threads(chained)

    def write_service(self) -> None:
        plan = self.plan
        service = ServiceBench(
            self.server.database(),
            self.workdir,
            clerks=plan.clerks,
            postmaster=self.server.postmaster_pid(),
        )
        run = partial(service.run, seconds=max(plan.seconds, 1), workers=self.workers)
        found = run(clients=CLIENTS, warmup=plan.warmup * 2)
        write = self.results["write"]
        write["service"] = {str(n): t.as_dict() for n, t in found.by_clients.items()}
        write["service_workers"] = found.workers
        write["service_cpu_ms_per_command"] = {str(n): v for n, v in found.cpu_ms.items()}
        write["service_last_failure"] = found.last_failure
        self.results["footprint"]["peak_rss_mb"] = found.peak_rss_mb
        self.results["footprint"]["ready_seconds"] = service.ready(attempts=plan.ready_attempts)
        # Diagnostic: the same without the read-your-writes wait for the projection worker.
        unsettled = run(
            clients=CLIENTS,
            warmup=0,
            settings={"RECTIFY_READ_YOUR_WRITES_SECONDS": "0"},
            label="no-wait",
        )
        write["service_no_wait"] = {str(n): t.as_dict() for n, t in unsettled.by_clients.items()}
        write["service_no_wait_cpu_ms_per_command"] = {
            str(n): v for n, v in unsettled.cpu_ms.items()
        }

    def ratios(self) -> None:
        write = self.results["write"]
        found = {}
        for n in CLIENTS:
            floor = write.get("floor", {}).get(str(n), {}).get("per_second", 0.0)
            for part in ("library", "library_chained", "service", "service_no_wait"):
                rate = write.get(part, {}).get(str(n), {}).get("per_second")
                if rate is not None:
                    found[f"{part}_over_floor_{n}"] = ratio(rate, floor)
        write["ratios"] = found

    # At scale ----------------------------------------------------------------------------

    def scale(self) -> None:
        spent = 0.0
        previous: tuple[int, float] | None = None
        for size in self.plan.sizes:
            if previous is not None:
                estimate = previous[1] * size / previous[0] * 1.2
                if spent + estimate > self.plan.budget_seconds:
                    self.results["scale_skipped"].append(
                        {
                            "size": size,
                            "reason": f"estimated {estimate / 60:.0f} min would pass the "
                            f"{self.plan.budget_seconds / 60:.0f}-minute budget",
                        }
                    )
                    continue
            started = time.perf_counter()
            self.part(f"scale {size}", partial(self.one_size, size))
            took = time.perf_counter() - started
            spent += took
            previous = (size, took)

    def one_size(self, size: int) -> None:
        url = self.server.database()
        campaign_file = write_campaign_file(self.workdir, provinces=self.plan.provinces)
        spread = (
            {}
            if self.plan.spread_events is None
            else {"projection_spread_events": self.plan.spread_events}
        )
        settings = load_settings(
            database_url=url, campaign_file=campaign_file, log_level="warning", **spread
        )
        container = build_container(settings, clock=FixedClock(READS_AT))
        try:
            generated = CampaignGenerator(container.app, container.campaign).run(size)
            catch_up = measure_catch_up(container.projections)
            run = measure_run_catch_up(container.projections, settings, events=generated.events)
            copy_floor = measure_copy_floor(url, generated.events)
            reads = measure_reads(
                container,
                generated,
                repeats=self.plan.repeats,
                slow_repeats=self.plan.slow_repeats,
            )
            verify, verify_processes = measure_verify(url)
        finally:
            container.close()
            self.server.drop(url)
        self.results["scale"][str(size)] = {
            "generated": {
                "events": generated.events,
                "cases": generated.cases,
                "offices": len(generated.offices),
                "seconds": generated.seconds,
                "per_second": generated.per_second,
            },
            "projections": {
                "catch_up": catch_up.as_dict(),
                "catch_up_run": run.as_dict(),
                "run_shares": [list(group) for group in run_shares(settings, generated.events)],
                "copy_floor": copy_floor.as_dict(),
                "ratio": ratio(run.per_second, copy_floor.per_second),
            },
            "reads": {name: latency.as_dict() for name, latency in reads.items()},
            "verify": verify.as_dict() | {"processes": verify_processes},
        }

    # All --------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        started = time.perf_counter()
        self.part("write floor", self.write_floor)
        self.part("write library", self.write_library)
        self.part("write service", self.write_service)
        self.part("write floor again", self.write_floor)
        self.ratios()
        self.scale()
        self.results["targets"] = judge_all(self.results)
        self.results["meta"]["seconds"] = time.perf_counter() - started
        return self.results


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--plan", choices=sorted(PLANS), default="quick")
    parser.add_argument(
        "--sizes", help="event counts for the scale part, comma separated (e.g. 10000,100000)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument(
        "--database-url",
        help="a server to use (default: RECTIFY_BENCH_DATABASE_URL, else a throwaway cluster)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--budget-minutes", type=float, help="time allowed for the scale part")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    plan = PLANS[args.plan]
    if args.sizes:
        plan = replace(plan, sizes=tuple(int(s) for s in args.sizes.split(",")))
    if args.budget_minutes is not None:
        plan = replace(plan, budget_seconds=args.budget_minutes * 60)
    with (
        tempfile.TemporaryDirectory(prefix="rectify-bench-") as workdir,
        bench_server(args.database_url) as server,
    ):
        results = Bench(plan, server, Path(workdir), workers=args.workers).run()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print()
    print(render(results))
    print(f"\nresults written to {args.out}")
    return 1 if results["errors"] else 0
