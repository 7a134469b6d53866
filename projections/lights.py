"""Traffic lights (红黄绿), decided at read time against today's date.

An item not yet rectified is red once its deadline has passed and yellow while the
deadline is at most ``yellow_days`` away (today included); anything else is green. An
issue or an office shows its worst item, and an open issue with no item yet is yellow, as
is the office it belongs to. Nothing here is stored: tomorrow's lights differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from projections.item_state import NOT_RECTIFIED

GREEN: Final = "green"
YELLOW: Final = "yellow"
RED: Final = "red"
LIGHTS: Final = (GREEN, YELLOW, RED)
LIGHT_LABELS: Final = {GREEN: "绿", YELLOW: "黄", RED: "红"}
_RANK: Final = {GREEN: 0, YELLOW: 1, RED: 2}


@dataclass(frozen=True)
class LightRule:
    today: date
    yellow_days: int

    @property
    def yellow_until(self) -> date:
        return self.today + timedelta(days=self.yellow_days)

    def item(self, status: str, deadline: date) -> str:
        if status not in NOT_RECTIFIED:
            return GREEN
        if deadline < self.today:
            return RED
        if deadline <= self.yellow_until:
            return YELLOW
        return GREEN

    def overdue(self, status: str, deadline: date) -> bool:
        return status in NOT_RECTIFIED and deadline < self.today

    def sql(
        self, light: str, *, status: str = "status", deadline: str = "deadline"
    ) -> tuple[str, list[str]]:
        """A condition (with ``%s`` parameters) true for items that show ``light``."""
        marks = ", ".join(["%s"] * len(NOT_RECTIFIED))
        open_ = f"{status} IN ({marks})"
        params = list(NOT_RECTIFIED)
        today, until = self.today.isoformat(), self.yellow_until.isoformat()
        if light == RED:
            return f"({open_} AND {deadline} < %s)", [*params, today]
        if light == YELLOW:
            return f"({open_} AND {deadline} >= %s AND {deadline} <= %s)", [*params, today, until]
        return f"(NOT ({open_}) OR {deadline} > %s)", [*params, until]


def worst(lights: list[str]) -> str:
    return max(lights, key=_RANK.__getitem__, default=GREEN)
