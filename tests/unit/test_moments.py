"""A typed moment: a date is that whole day in the campaign's zone, in any ISO form."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from api.moments import OutOfYears, read_moment

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("text", ["2026-09-01", "20260901", "2026-W36-2"])
def test_a_date_in_any_iso_form_is_that_whole_day(text: str) -> None:
    start = read_moment(text, SHANGHAI, end_of_day=False)
    end = read_moment(text, SHANGHAI, end_of_day=True)

    assert start == datetime(2026, 9, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 9, 1, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def test_a_time_is_itself_and_without_an_offset_is_read_in_the_zone() -> None:
    assert read_moment("2026-09-01T10:00", SHANGHAI, end_of_day=True) == datetime(
        2026, 9, 1, 10, tzinfo=SHANGHAI
    )
    assert read_moment("2026-09-01T10:00+00:00", SHANGHAI, end_of_day=True) == datetime(
        2026, 9, 1, 10, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "text", ["2026-02-30", "garbage", "9999-12-31T23:00:00-12:00", "", "0000-01-01"]
)
def test_what_names_no_moment_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        read_moment(text, SHANGHAI, end_of_day=True)


@pytest.mark.parametrize("text", ["0001-01-01", "1969-12-31T23:59:59+00:00", "9001-01-01"])
def test_a_moment_outside_the_services_years_is_named_so(text: str) -> None:
    """Every edge (the API's as_of/from/to, the command line's --as-of/--since/--until)
    says the same: a date no ledger holds is refused, not read as an empty ledger."""
    with pytest.raises(OutOfYears, match="between the years 1970 and 9000"):
        read_moment(text, ZoneInfo("Asia/Shanghai"), end_of_day=False)
