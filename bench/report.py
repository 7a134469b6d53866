"""The table the bench prints (and docs/performance.md quotes), rendered from the results.

``python -m bench.report [bench/results/latest.json]`` prints it again from a results file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.reads import READS

WRITE_ROWS = (
    ("floor", "floor: psycopg INSERT + COMMIT"),
    ("library", "library: Application.save, 1 event"),
    ("library_chained", "  same, rectify's chained recorder"),
    ("service", "service: HTTP command mix (wrk)"),
    ("service_no_wait", "  same, no read-your-writes wait"),
)
READ_LABELS = {
    "ledger_page": "ledger page (office, status, page 2)",
    "case_history": "one case's history",
    "audit_by_actor": "audit log by actor, 14 days",
    "progress": "progress view",
    "as_of_office": "as-of ledger, one office",
}


def _n(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _size(size: int) -> str:
    return (
        f"{size // 1_000_000}M"
        if size >= 1_000_000
        else f"{size // 1000}k"
        if size >= 1000
        else str(size)
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def write_section(results: dict[str, Any]) -> list[str]:
    write = results.get("write", {})
    floor = write.get("floor", {})
    rows = []
    for key, label in WRITE_ROWS:
        for clients, figures in sorted(write.get(key, {}).items(), key=lambda kv: int(kv[0])):
            base = floor.get(clients, {}).get("per_second")
            rows.append(
                [
                    label,
                    clients,
                    _n(figures["per_second"]),
                    _n(figures["per_second"] / base, 3) if base else "–",
                    _n(figures["p50_ms"], 2),
                    _n(figures["p95_ms"], 2),
                    _n(figures["p99_ms"], 2),
                    _n(figures.get("errors", 0)),
                ]
            )
    header = ["write path", "clients", "ops/s", "÷ floor", "p50 ms", "p95 ms", "p99 ms", "errors"]
    lines = _table(header, rows)
    pgbench = write.get("pgbench")
    if pgbench:
        lines.append(
            "for reference, pgbench (C client, same INSERT, autocommit): "
            + ", ".join(f"{_n(v)} tps ({k} clients)" for k, v in sorted(pgbench.items()))
        )
    for key, label in (("service", "service"), ("service_no_wait", "no wait")):
        for clients, cpu in sorted(write.get(f"{key}_cpu_ms_per_command", {}).items()):
            parts = ", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items())
            lines.append(f"CPU ms per command, {label}, {clients} client(s): {parts}")
    if write.get("service_workers"):
        lines.append(f"service: {write['service_workers']} uvicorn worker(s), RECTIFY_ENV=prod")
    return lines


def scale_section(results: dict[str, Any]) -> list[str]:
    scale = results.get("scale", {})
    sizes = sorted(scale, key=int)
    if not sizes:
        return []

    def row(label: str, get: Any, digits: int = 0) -> list[str]:
        return [label, *(_n(get(scale[s]), digits) for s in sizes)]

    rows = [
        row("events generated / s", lambda s: s["generated"]["per_second"]),
        row(
            "projection catch-up, events/s (projections run)",
            lambda s: s["projections"]["catch_up_run"]["per_second"],
        ),
        row(
            "  processes it used",
            lambda s: len(s["projections"]["run_shares"]) or 1,
        ),
        row(
            "  same, every view in one process",
            lambda s: s["projections"]["catch_up"]["per_second"],
        ),
        row("COPY floor, rows/s", lambda s: s["projections"]["copy_floor"]["per_second"]),
        row("catch-up ÷ COPY", lambda s: s["projections"]["ratio"], 3),
        row("verify, events/s", lambda s: s["verify"]["per_second"]),
        row("  processes it walked with", lambda s: s["verify"].get("processes", 1)),
    ]
    for name in READS:
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            rows.append(
                row(
                    f"{READ_LABELS[name]} {p[:3]} ms",
                    lambda s, n=name, p=p: s["reads"][n][p],
                    1,
                )
            )
    lines = _table(["at scale", *(f"{_size(int(s))} events" for s in sizes)], rows)
    for skipped in results.get("scale_skipped", []):
        lines.append(f"not run: {_size(skipped['size'])} events ({skipped['reason']})")
    return lines


def targets_section(results: dict[str, Any]) -> list[str]:
    rows = []
    for judged in results.get("targets", []):
        value = judged["value"]
        digits = 3 if judged["unit"] in ("", "s") else 1 if judged["unit"] in ("ms", "MiB") else 0
        verdict = "–" if judged["met"] is None else "met" if judged["met"] else "MISSED"
        if judged.get("size_short_of_target"):
            verdict += f" at {_size(judged['size'])} (target at 1M)"
        elif judged.get("size"):
            verdict += f" at {_size(judged['size'])}"
        rows.append(
            [
                judged["figure"],
                f"{_n(value, digits)} {judged['unit']}".strip(),
                judged["target"],
                verdict,
            ]
        )
    return _table(["target", "figure", "target", "verdict"], rows)


def render(results: dict[str, Any]) -> str:
    meta = results.get("meta", {})
    server = meta.get("postgres", {})
    head = [
        f"rectify bench ({meta.get('plan', '?')}), {meta.get('started', '')}, "
        f"{meta.get('cpus', '?')} CPUs, commit {meta.get('commit', '?')}",
        f"PostgreSQL {server.get('version', '?')}, {server.get('origin', '?')} "
        f"(fsync={server.get('fsync', '?')}, synchronous_commit="
        f"{server.get('synchronous_commit', '?')})",
        "",
    ]
    parts = [head, write_section(results), [""], scale_section(results), [""]]
    parts.append(targets_section(results))
    footprint = results.get("footprint", {})
    if footprint:
        parts.append(
            [
                "",
                f"footprint: peak RSS {_n(footprint.get('peak_rss_mb'), 1)} MiB per API worker "
                f"under the 16-client load; {_n(footprint.get('ready_seconds'), 2)} s from start "
                "to the first 200 on /readyz",
            ]
        )
    for part, message in results.get("errors", {}).items():
        parts.append([f"FAILED {part}: {message}"])
    return "\n".join(line for part in parts for line in part)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "bench/results/latest.json")
    print(render(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
