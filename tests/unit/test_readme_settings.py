"""Every setting the service reads has a row in the README's configuration tables."""

from __future__ import annotations

import re
from pathlib import Path

from infrastructure.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_has_a_row_in_a_configuration_table() -> None:
    rows = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `RECTIFY_"):
            rows.update(re.findall(r"`(RECTIFY_[A-Z_]+)`", line.split("|")[1]))
    names = [f"RECTIFY_{name.upper()}" for name in Settings.model_fields]
    assert [name for name in names if name not in rows] == []
