"""What a worker or a command loads to start: the office-document libraries wait for their
first document (docs/performance.md, section 4: start to ready)."""

from __future__ import annotations

import json
import subprocess
import sys

DOCUMENT_LIBRARIES = ("openpyxl", "reportlab", "docx")


def modules_loaded_by(code: str) -> set[str]:
    """Top-level packages loaded after running ``code`` in a fresh interpreter."""
    report = "import json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_api_and_the_cli_start_without_the_office_document_libraries() -> None:
    loaded = modules_loaded_by("import api.http.app, api.cli.main")
    assert "fastapi" in loaded  # the probe sees what the app imported
    assert loaded.isdisjoint(DOCUMENT_LIBRARIES)


def test_a_workbook_or_a_document_loads_its_library_when_first_made() -> None:
    code = """
from infrastructure.campaign_file import load_campaign
from infrastructure.spreadsheets.workbook import template_workbook
campaign = load_campaign(None, timezone="Asia/Shanghai", this_year=2026)
assert template_workbook(campaign, office="bj")[:2] == b"PK"
"""
    loaded = modules_loaded_by(code)
    assert "openpyxl" in loaded
    assert loaded.isdisjoint({"reportlab", "docx"})
