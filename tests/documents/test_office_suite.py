"""The generated files open in a real office suite: LibreOffice converts each one to PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from infrastructure.spreadsheets.workbook import items_workbook, template_workbook
from tests.builders import World
from tests.conftest import CAMPAIGN_NOW
from tests.documents.reading import pdf_text


def _convert(files: dict[str, bytes], tmp_path: Path) -> dict[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None, "make test installs LibreOffice (libreoffice-writer, -calc)"
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    paths = []
    for name, data in files.items():
        path = source / name
        path.write_bytes(data)
        paths.append(str(path))
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *paths,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {name: pdf_text((out / name).with_suffix(".pdf").read_bytes()) for name in files}


def test_libreoffice_converts_each_docx_and_xlsx_to_pdf(
    memory_world: World, tmp_path: Path
) -> None:
    world = memory_world
    _, item_id = world.rectified_item()
    world.app.record_verification(world["coord"], item_id, passed=True)
    issue = world.issue(title="办公用房长期闲置", category="real_estate", subtype="long_idle")
    world.item(issue.id, measure="盘活闲置用房", deadline=world.today() + timedelta(days=2))
    world.clock.set(CAMPAIGN_NOW + timedelta(days=5))
    record = next(
        c["id"]
        for c in world.app.accountability_candidates(world["coord"])
        if c["item_id"] is not None
    )
    notice_id = world.app.draft_notice(world["coord"], record_ids=[record]).id
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕1号")
    report_id = world.app.submit_report(world["bj-clerk"], office="bj").id
    ledger = world.app.ledger(world["coord"], office="bj")

    texts = _convert(
        {
            "notice.docx": world.app.render_notice(world["coord"], notice_id, "docx"),
            "report.docx": world.app.report_file(world["coord"], report_id, "docx")[0],
            "items.xlsx": items_workbook(world.app.campaign, ledger),
            "template.xlsx": template_workbook(world.app.campaign, office="bj"),
        },
        tmp_path,
    )

    assert "机管国资〔2026〕1号" in texts["notice.docx"]
    assert "盘活闲置用房" in texts["notice.docx"]
    assert "整改情况的报告" in texts["report.docx"]
    assert "北京办事处资产管理问题整改台账" in texts["items.xlsx"]
    assert "盘活闲置用房" in texts["items.xlsx"]
    assert "自查问题清单及整改方案" in texts["template.xlsx"]
