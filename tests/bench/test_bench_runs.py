"""The bench's code runs end to end at a tiny size and writes every figure (no timing checked)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.reads import READS
from bench.run import CLIENTS, main
from bench.targets import TARGETS

pytestmark = pytest.mark.postgres

THROUGHPUT = ("per_second", "p50_ms", "p95_ms", "p99_ms")


@pytest.fixture(scope="module")
def results(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    assert shutil.which("wrk"), "wrk (the bench's HTTP load generator) is missing: run `make wrk`"
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    code = main(["--plan", "tiny", "--database-url", pg_server, "--out", str(out)])
    found: dict[str, Any] = json.loads(Path(out).read_text(encoding="utf-8"))
    assert code == 0, found.get("errors")
    return found


def test_no_part_failed(results: dict[str, Any]) -> None:
    assert results["errors"] == {}


WRITE_PARTS = ("floor", "library", "library_chained", "service", "service_no_wait")


@pytest.mark.parametrize("part", WRITE_PARTS)
def test_write_path_figures_at_each_number_of_clients(results: dict[str, Any], part: str) -> None:
    for clients in CLIENTS:
        figures = results["write"][part][str(clients)]
        assert all(isinstance(figures[key], float) for key in THROUGHPUT)
        assert figures["operations"] > 0


def test_ratios_to_the_floor(results: dict[str, Any]) -> None:
    assert set(results["write"]["ratios"]) == {
        f"{part}_over_floor_{n}" for part in WRITE_PARTS[1:] for n in CLIENTS
    }


def test_scale_figures_for_the_size_run(results: dict[str, Any]) -> None:
    (size,) = results["scale"].values()
    assert size["generated"]["events"] >= 400
    assert size["projections"]["catch_up"]["items"] == size["generated"]["events"]
    assert size["projections"]["catch_up_run"]["items"] == size["generated"]["events"]
    assert len(size["projections"]["run_shares"]) == 2, "the tiny plan spreads, to run that code"
    assert size["projections"]["copy_floor"]["items"] == size["generated"]["events"]
    assert size["verify"]["items"] == size["generated"]["events"]
    for read in READS:
        assert set(size["reads"][read]) >= {"p50_ms", "p95_ms", "p99_ms"}


def test_footprint(results: dict[str, Any]) -> None:
    assert results["footprint"]["peak_rss_mb"] > 0
    assert results["footprint"]["ready_seconds"] > 0


def test_every_target_judged(results: dict[str, Any]) -> None:
    judged = results["targets"]
    assert [t["figure"] for t in judged] == [t.figure for t in TARGETS]
    assert all(t["value"] is not None and t["met"] is not None for t in judged)
