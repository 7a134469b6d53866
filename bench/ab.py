"""``python -m bench.ab NAME=VALUE …``: the service with and without some settings, interleaved.

The machine is shared and noisy, so a before/after pair is only worth something when both
halves run in the same minutes: this prepares one database, then serves it alternately as
is (A) and with the given environment variables on top (B), ``--rounds`` times each, and
prints the medians of commands/s, latency and CPU per command. Any variable the service
reads can be tried this way (``RECTIFY_*`` settings, and the eventsourcing library's own,
such as ``AGGREGATE_CACHE_MAXSIZE``); code changes are compared by running it on two commits.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.postgres import bench_server
from bench.write_service import ServiceBench, ServiceResult


def summary(runs: list[ServiceResult], clients: int) -> dict[str, float]:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    found = {
        "commands/s": median([r.by_clients[clients].per_second for r in runs]),
        "p50 ms": median([r.by_clients[clients].p50_ms for r in runs]),
        "p99 ms": median([r.by_clients[clients].p99_ms for r in runs]),
        "errors": median([float(r.by_clients[clients].errors) for r in runs]),
    }
    for group in runs[0].cpu_ms.get(clients, {}):
        found[f"{group} CPU ms/cmd"] = median([r.cpu_ms[clients][group] for r in runs])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("settings", nargs="+", help="NAME=VALUE for the B side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base", action="append", default=[], help="NAME=VALUE for both sides")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    base = dict(item.split("=", 1) for item in args.base)
    variant = base | dict(item.split("=", 1) for item in args.settings)
    runs: dict[str, list[ServiceResult]] = {"A": [], "B": []}
    with (
        tempfile.TemporaryDirectory(prefix="rectify-ab-") as workdir,
        bench_server(args.database_url) as server,
    ):
        service = ServiceBench(
            server.database(), Path(workdir), clerks=16, postmaster=server.postmaster_pid()
        )
        for n in range(args.rounds):
            for side, settings in (("A", base), ("B", variant)):
                result = service.run(
                    clients=(args.clients,),
                    seconds=args.seconds,
                    warmup=2,
                    workers=args.workers,
                    settings=settings,
                    label=f"{side}{n}",
                )
                runs[side].append(result)
                figures = result.by_clients[args.clients]
                print(f"{side} round {n + 1}: {figures.per_second:,.0f} commands/s", flush=True)
    table: dict[str, dict[str, Any]] = {side: summary(r, args.clients) for side, r in runs.items()}
    print(f"\nA: {base or 'as configured'}\nB: {variant}")
    print(f"medians of {args.rounds} rounds, {args.clients} clients, {args.seconds:.0f} s each")
    for key in table["A"]:
        a, b = table["A"][key], table["B"][key]
        print(f"{key:22s} A {a:10,.2f}   B {b:10,.2f}   B/A {b / a if a else 0:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
