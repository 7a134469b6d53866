"""A moment a person typed: a date means that whole day, a time means itself.

Shared by every edge so one date reads the same everywhere: an ``as_of`` or an upper bound
(``to``, ``--until``) given as a date is the end of that day, a lower bound (``from``,
``--since``) its start, in the campaign's time zone; a time without an offset is read in
that zone too.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

YEARS: Final = range(1970, 9001)  # a moment the service keeps or answers for


class OutOfYears(ValueError):
    """A real moment, but outside ``YEARS``."""


def read_moment(text: str, tz: ZoneInfo, *, end_of_day: bool) -> datetime:
    """The moment ``text`` names (ISO 8601: a date in any of its forms, 2026-09-01, 20260901,
    2026-W36-2, or a time); ``ValueError`` when it names none."""
    text = text.strip()
    if not any(mark in text for mark in "T :"):  # a date alone
        day = date.fromisoformat(text)
        moment = datetime.combine(day, time.max if end_of_day else time(0), tz)
    else:
        moment = datetime.fromisoformat(text)
        moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
    if moment.year not in YEARS:  # before converting: 0001-01-01 at +08:00 has no UTC
        raise OutOfYears(f"must be between the years {YEARS.start} and {YEARS.stop - 1}")
    return moment


class LaterThanToday(ValueError):
    """An as-of moment on a day after today: no ledger ever stood then."""


def read_as_of(text: str, tz: ZoneInfo, *, today: date) -> datetime:
    """The moment a ledger or a case is shown as of: ``read_moment``'s end of a day, on
    today at the latest (a later day would be today's rows under that day's lights)."""
    moment = read_moment(text, tz, end_of_day=True)
    if moment.astimezone(tz).date() > today:
        raise LaterThanToday(f"must not be later than today ({today.isoformat()})")
    return moment
