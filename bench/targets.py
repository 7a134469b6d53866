"""The issue's targets, and each figure judged against its own."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AT_SCALE = 1_000_000  # the read targets are stated at a million events


@dataclass(frozen=True)
class Target:
    figure: str
    unit: str
    bound: float
    at_least: bool  # True: the figure must be >= bound; False: <= bound
    value: Callable[[dict[str, Any]], float | None]
    at_scale: bool = False  # judged at the largest size measured (stated at 1M)

    @property
    def text(self) -> str:
        sign = "≥" if self.at_least else "≤"
        return f"{sign} {self.bound:,.6g} {self.unit}".strip()

    def judge(self, results: dict[str, Any]) -> dict[str, Any]:
        value = self.value(results)
        size = largest_size(results) if self.at_scale or "events/s" in self.unit else None
        met = None
        if value is not None:
            met = (operator.ge if self.at_least else operator.le)(value, self.bound)
        return {
            "figure": self.figure,
            "value": value,
            "unit": self.unit,
            "target": self.text,
            "met": met,
            "size": size,
            "size_short_of_target": bool(self.at_scale and size is not None and size < AT_SCALE),
        }


def largest_size(results: dict[str, Any]) -> int | None:
    sizes = [int(s) for s in results.get("scale", {})]
    return max(sizes) if sizes else None


def _path(*keys: str) -> Callable[[dict[str, Any]], float | None]:
    def get(results: dict[str, Any]) -> float | None:
        node: Any = results
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return float(node) if isinstance(node, (int, float)) else None

    return get


def _at_largest(*keys: str) -> Callable[[dict[str, Any]], float | None]:
    def get(results: dict[str, Any]) -> float | None:
        size = largest_size(results)
        return None if size is None else _path("scale", str(size), *keys)(results)

    return get


TARGETS: tuple[Target, ...] = (
    Target(
        "service commands/s ÷ floor, 16 clients",
        "",
        0.5,
        True,
        _path("write", "ratios", "service_over_floor_16"),
    ),
    Target(
        "command latency p99, 16 clients",
        "ms",
        50,
        False,
        _path("write", "service", "16", "p99_ms"),
    ),
    Target(
        "projection catch-up, all views",
        "events/s",
        10_000,
        True,
        _at_largest("projections", "catch_up_run", "per_second"),  # as projections run
    ),
    Target("ledger page p95", "ms", 20, False, _at_largest("reads", "ledger_page", "p95_ms"), True),
    Target(
        "case history p95", "ms", 10, False, _at_largest("reads", "case_history", "p95_ms"), True
    ),
    Target(
        "as-of ledger, one office, p95",
        "ms",
        1000,
        False,
        _at_largest("reads", "as_of_office", "p95_ms"),
        True,
    ),
    Target("verify", "events/s", 200_000, True, _at_largest("verify", "per_second")),
    Target("peak RSS per API worker", "MiB", 250, False, _path("footprint", "peak_rss_mb")),
    Target("start to first 200 on /readyz", "s", 2, False, _path("footprint", "ready_seconds")),
)


def judge_all(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [target.judge(results) for target in TARGETS]
