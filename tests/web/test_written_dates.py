"""A date typed as clerks write it (a browser without a date picker sends the text) reads
on the forms as it does in an imported sheet; text that is no day is refused beside it."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from application.written_dates import written_day
from tests.web.conftest import Console
from tests.web.test_text_refusals import _issue_form, assert_refused_beside


@pytest.mark.parametrize(
    "text", ["2026-10-9", "2026/10/9", "2026.10.09", "2026年10月9日", " 2026-10-09 "]
)
def test_a_day_written_as_people_write_it_is_read(text: str) -> None:
    assert written_day(text) == date(2026, 10, 9)


@pytest.mark.parametrize("text", ["2026-02-30", "10月9日", "9/10/2026", "2026-10", "明天"])
def test_text_that_writes_no_day_is_none(text: str) -> None:
    assert written_day(text) is None


def test_the_new_problem_form_reads_a_found_on_written_with_slashes(console: Console) -> None:
    console.log_in("bj-clerk")
    day = console.world.today()

    answer = console.post(
        "/issues/new",
        _issue_form(console, found_on=f"{day.year}/{day.month}/{day.day}"),
        follow_redirects=False,
    )

    assert answer.status_code == 303, answer.text
    issue_id = answer.headers["location"].split("/issues/", 1)[1].split("?", 1)[0]
    assert console.world.app.get_issue(console.world["bj-clerk"], UUID(issue_id)).found_on == day


def test_a_found_on_that_is_no_day_is_refused_beside_the_field(console: Console) -> None:
    assert_refused_beside(
        console,
        "found_on",
        "发现日期不是有效的日期（格式：年-月-日，如 2026-11-30）。",
        found_on="11月3日",
    )


def test_a_ledgers_as_of_day_in_the_address_reads_as_written(console: Console) -> None:
    console.log_in("coord")
    day = console.world.today() - timedelta(days=1)  # today's ledger is the current one

    written = console.client.get(f"/issues?as_of={day.year}/{day.month}/{day.day}")

    assert written.status_code == 200
    assert "不是有效的日期" not in written.text
    assert f"截至 {day.isoformat()} 日终的状态" in written.text
