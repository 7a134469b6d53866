"""A day as people write it: 2026-11-30, 2026-11-3, 2026/11/3, 2026.11.3, 2026年11月3日.

The sheet import and the console's forms read dates alike, so a clerk who types a date the
import accepts is not refused on a form (a browser without a date picker sends the text).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_DAY_TEXT: Final = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def written_day(text: str) -> date | None:
    """The day ``text`` writes, or None when it writes none (or one the calendar lacks)."""
    match = _DAY_TEXT.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
