"""``python -m bench.ab NAME=VALUE …``: the service with and without some settings, interleaved.

The machine is shared and noisy, so a before/after pair is only worth something when both
halves run in the same minutes: this prepares one database, then serves it alternately as
is (A) and with the given environment variables on top (B), ``--rounds`` times each, and
prints the medians of commands/s, latency and CPU per command. Any variable the service
reads can be tried this way (``RECTIFY_*`` settings, and the eventsourcing library's own,
such as ``AGGREGATE_CACHE_MAXSIZE``). ``--against REF`` compares code instead: A serves the
commit REF (checked out in a temporary git worktree), B this checkout as it is, uncommitted
changes included; both sides serve the same database, prepared by this checkout's code.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.postgres import bench_server
from bench.serving import REPO
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


@contextmanager
def checkout(ref: str | None, into: Path) -> Iterator[Path | None]:
    """A detached worktree of ``ref`` (None: no checkout), removed afterwards."""
    if ref is None:
        yield None
        return
    git = ["git", "-C", str(REPO)]
    subprocess.run([*git, "worktree", "add", "--detach", str(into), ref], check=True)
    try:
        yield into
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(into)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("settings", nargs="*", help="NAME=VALUE for the B side")
    parser.add_argument("--against", metavar="REF", help="serve the commit REF as the A side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base", action="append", default=[], help="NAME=VALUE for both sides")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    if not args.settings and args.against is None:
        parser.error("give NAME=VALUE settings for the B side, or --against REF, or both")
    base = dict(item.split("=", 1) for item in args.base)
    variant = base | dict(item.split("=", 1) for item in args.settings)
    runs: dict[str, list[ServiceResult]] = {"A": [], "B": []}
    with (
        tempfile.TemporaryDirectory(prefix="rectify-ab-") as workdir,
        bench_server(args.database_url) as server,
        checkout(args.against, Path(workdir) / "a-side") as a_code,
    ):
        service = ServiceBench(
            server.database(), Path(workdir), clerks=16, postmaster=server.postmaster_pid()
        )
        for n in range(args.rounds):
            for side, settings, code in (("A", base, a_code), ("B", variant, None)):
                result = service.run(
                    clients=(args.clients,),
                    seconds=args.seconds,
                    warmup=2,
                    workers=args.workers,
                    settings=settings,
                    code=code,
                    label=f"{side}{n}",
                )
                runs[side].append(result)
                figures = result.by_clients[args.clients]
                print(f"{side} round {n + 1}: {figures.per_second:,.0f} commands/s", flush=True)
    table: dict[str, dict[str, Any]] = {side: summary(r, args.clients) for side, r in runs.items()}
    a_side = f"commit {args.against}, " if args.against else ""
    print(f"\nA: {a_side}{base or 'as configured'}\nB: this checkout, {variant or 'as configured'}")
    print(f"medians of {args.rounds} rounds, {args.clients} clients, {args.seconds:.0f} s each")
    for key in table["A"]:
        a, b = table["A"][key], table["B"][key]
        print(f"{key:22s} A {a:10,.2f}   B {b:10,.2f}   B/A {b / a if a else 0:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
