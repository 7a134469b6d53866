"""A moment a person typed: a date means that whole day, a time means itself.

Shared by every edge so one date reads the same everywhere: an ``as_of`` or an upper bound
(``to``, ``--until``) given as a date is the end of that day, a lower bound (``from``,
``--since``) its start, in the campaign's time zone; a time without an offset is read in
that zone too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DATE_LENGTH = len("2026-09-01")


def read_moment(text: str, tz: ZoneInfo, *, end_of_day: bool) -> datetime:
    """The moment ``text`` names (ISO 8601); ``ValueError`` when it names none."""
    text = text.strip()
    if len(text) == DATE_LENGTH:
        day = date.fromisoformat(text)
        if end_of_day:
            return datetime.combine(day + timedelta(days=1), time(0), tz) - timedelta(
                microseconds=1
            )
        return datetime.combine(day, time(0), tz)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
