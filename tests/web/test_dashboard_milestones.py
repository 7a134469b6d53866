"""The dashboard's milestone column counts what is still outstanding past its date, and says
so: a milestone done late no longer counts there (the notices still call it 工作明显滞后)."""

from __future__ import annotations

import re

from tests.documents.conftest import LEADER, LIAISON
from tests.web.conftest import Console


def outstanding(page: str, office: str) -> int:
    row = page.split(f'data-office="{office}"', 1)[1].split("</tr>", 1)[0]
    last = re.findall(r"<td>(.*?)</td>", row, flags=re.S)[-1]
    return int(re.sub(r"<[^>]+>", "", last))


def test_a_milestone_done_late_leaves_the_column_of_outstanding_ones(console: Console) -> None:
    console.log_in("coord")
    before = console.client.get("/").text

    console.world.app.name_work_group(
        console.world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON
    )  # due 08-20, named on 10-10: done, late
    console.settle()
    after = console.client.get("/").text

    assert "逾期未完成节点" in after
    assert "未按期节点" not in after
    assert outstanding(after, "bj") == outstanding(before, "bj") - 1
    assert "其中已销号" in after
    assert "（含已报告）" in after
