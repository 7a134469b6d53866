"""``python -m bench.api_cpu`` runs the command mix through the HTTP layer (no timing checked)."""

from __future__ import annotations

import pytest

from bench.api_cpu import REPO, main, measure_in


def test_a_child_drives_the_whole_command_mix_and_answers_its_cpu_per_command() -> None:
    figure = measure_in(REPO, cases=1, windows=1)  # any refused step raises in the child

    assert figure > 0


def test_without_a_ref_it_measures_this_checkout_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pairs", "1", "--cases", "1", "--windows", "1"]) == 0

    printed = capsys.readouterr().out
    assert "pair 1: B " in printed
    assert "B/A" not in printed
