"""Progress over time, from the events: how many items were planned, rectified and verified
at the end of each day, and the geometry of the inline SVG chart that shows it.

Each item's status follows its own events exactly as the ledgers do (``apply_item``); an
office sees only its own items. The series is kept per log head and scope, so a dashboard
reads the log again only after something new was recorded.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from domain import item as states
from domain.item import RectificationItem
from projections.item_state import ITEM_EVENTS, apply_item

_TOPICS: Final = [get_topic(getattr(RectificationItem, name.split(".")[1])) for name in ITEM_EVENTS]
_BATCH: Final = 1000
SERIES: Final = (
    ("planned", "已制定整改事项", "#5b6b7f"),
    ("rectified", "已整改", "#d08a10"),
    ("verified", "核查通过", "#2f8f46"),
)
_RECTIFIED: Final = frozenset({states.RECTIFIED, states.VERIFIED, states.REPORTED})
_VERIFIED: Final = frozenset({states.VERIFIED, states.REPORTED})


@dataclass(frozen=True)
class TrendPoint:
    day: date
    planned: int
    rectified: int
    verified: int


def _counts(statuses: dict[UUID, str]) -> tuple[int, int, int]:
    tally = Counter(statuses.values())
    rectified = sum(tally[s] for s in _RECTIFIED)
    verified = sum(tally[s] for s in _VERIFIED)
    return len(statuses), rectified, verified


def read_trend(
    app: Application[UUID], *, offices: frozenset[str] | None, tz: ZoneInfo, today: date
) -> list[TrendPoint]:
    """One point per day from the first item's planning to today.

    Changes are counted by when they were recorded (each item's own events stay in order),
    so a day's point is the state of every item at the end of that day.
    """
    rows: dict[UUID, dict[str, Any]] = {}
    office_of: dict[UUID, str] = {}
    changes: list[tuple[datetime, UUID, str]] = []
    start: int | None = None
    while True:
        batch = app.recorder.select_notifications(
            start, _BATCH, topics=_TOPICS, inclusive_of_start=False
        )
        for notification in batch:
            event: Any = app.mapper.to_domain_event(notification)
            item_id = event.originator_id
            if type(event).__name__ == "Planned":
                office_of[item_id] = event.office
            office = office_of.get(item_id)
            if office is None or (offices is not None and office not in offices):
                continue
            row = rows.setdefault(item_id, {"status": "", "approvals": [], "involves": "none"})
            apply_item(row, event)
            changes.append((event.timestamp, item_id, row["status"]))
        if len(batch) < _BATCH:
            break
        start = batch[-1].id
    if not changes:
        return []
    changes.sort(key=lambda change: change[0])  # stable: an item's events keep their order
    statuses: dict[UUID, str] = {}
    by_day: dict[date, tuple[int, int, int]] = {}
    for moment, item_id, status in changes:
        statuses[item_id] = status
        by_day[moment.astimezone(tz).date()] = _counts(statuses)
    points, current, day = [], (0, 0, 0), min(by_day)
    last = max(today, max(by_day))
    while day <= last:
        current = by_day.get(day, current)
        points.append(TrendPoint(day, *current))
        day += timedelta(days=1)
    return points


class TrendCache:
    """The last few series, each valid while the log's head stays where it was."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._kept: dict[tuple[Any, ...], list[TrendPoint]] = {}
        self._lock = threading.Lock()

    def get(
        self, app: Application[UUID], *, offices: frozenset[str] | None, tz: ZoneInfo, today: date
    ) -> list[TrendPoint]:
        head = app.recorder.max_notification_id() or 0
        key = (head, today, tuple(sorted(offices)) if offices is not None else None)
        with self._lock:
            if key in self._kept:
                return self._kept[key]
        points = read_trend(app, offices=offices, tz=tz, today=today)
        with self._lock:
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[key] = points
        return points


@dataclass(frozen=True)
class Chart:
    """An SVG line chart's geometry (the template draws it)."""

    width: int
    height: int
    left: int
    bottom: int
    lines: list[tuple[str, str, str, str, int]]  # key, label, colour, points, last value
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]
    first: str
    last: str


def chart(points: list[TrendPoint], *, width: int = 640, height: int = 240) -> Chart | None:
    if not points:
        return None
    left, right, top, bottom = 40, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(p.planned for p in points), 1)
    step = max(1, -(-peak // 4))
    top_value = step * 4
    span = max(len(points) - 1, 1)

    def x(n: int) -> float:
        return round(left + plot_w * n / span, 1)

    def y(value: int) -> float:
        return round(top + plot_h * (1 - value / top_value), 1)

    lines = []
    for key, label, colour in SERIES:
        values = [getattr(p, key) for p in points]
        coords = " ".join(f"{x(n)},{y(v)}" for n, v in enumerate(values))
        lines.append((key, label, colour, coords, values[-1]))
    marks = sorted({0, len(points) // 2, len(points) - 1})
    return Chart(
        width=width,
        height=height,
        left=left,
        bottom=height - bottom,
        lines=lines,
        y_ticks=[(y(v), v) for v in range(0, top_value + 1, step)],
        x_ticks=[(x(n), points[n].day.strftime("%m-%d")) for n in marks],
        first=points[0].day.isoformat(),
        last=points[-1].day.isoformat(),
    )
