"""Column widths for a document's tables, measured from what the cells hold.

A column is never narrower than its widest unbreakable piece: a number, a date or another
Latin run, and a header of up to four characters. A column of labels (a unit, a category,
a status with its findings: no cell longer than ``LABEL_COLUMN_CHARS``) keeps each label's
words whole too, up to ``LABEL_CHARS`` characters, a parenthesis group such as （逾期） or
（认定弄虚作假1次） going to a line of its own. A column whose every cell fits on one line
within its share of the page gets just that; the long-text columns share what is left by
their relative widths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from application.paperwork import Table
from infrastructure.documents.linebreak import Measure

LABEL_CHARS = 10
LABEL_COLUMN_CHARS = 20
HEADER_CHARS = 4
_PIECES = re.compile(r"（[^（）]*）|[^\s（）]+")
_LATIN = re.compile(r"[\x21-\x7e]+")
_SLACK = 1.0  # points: measuring and setting round differently


def _pieces(text: str, *, labels: bool) -> list[str]:
    """What may not be broken in a cell: Latin runs, and the words of a label."""
    found: list[str] = []
    for piece in _PIECES.findall(text):
        found += [piece] if labels and len(piece) <= LABEL_CHARS else _LATIN.findall(piece)
    return found


def _labels(texts: Sequence[str]) -> bool:
    return all(len(line) <= LABEL_COLUMN_CHARS for t in texts for line in t.splitlines())


def _least(texts: Sequence[str], measure: Measure) -> float:
    labels = _labels(texts)
    return max((measure(p) for t in texts for p in _pieces(t, labels=labels)), default=0.0)


_PHRASES = re.compile(r"（[^（）]*）|[^（）]+")


def label_rows(table: Table, widths: Sequence[float], measure: Measure) -> list[tuple[str, ...]]:
    """The rows with each label that does not fit its column on one line broken between its
    phrases (待重新整改 / （认定弄虚作假1次） / （逾期）), not wherever the line runs out:
    ``widths`` are the columns' room for text (padding taken off)."""
    labels = [_labels([row[n] for row in table.rows]) for n in range(len(table.headers))]
    return [
        tuple(
            _phrased(text, widths[n], measure) if labels[n] else text for n, text in enumerate(row)
        )
        for row in table.rows
    ]


def _phrased(text: str, width: float, measure: Measure) -> str:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        if measure(line) <= width + _SLACK:
            lines.append(line)
            continue
        packed = ""
        for phrase in _PHRASES.findall(line):
            if packed and measure(packed + phrase) > width + _SLACK:
                lines.append(packed)
                packed = ""
            packed += phrase
        lines.append(packed)
    return "\n".join(lines)


def _most(texts: Sequence[str], measure: Measure) -> float:
    return max((measure(line) for t in texts for line in t.splitlines()), default=0.0)


def column_widths(
    table: Table,
    total: float,
    *,
    head: Measure,
    cell: Measure,
    padding: float,
) -> list[float]:
    """Widths (in the measures' unit, padding included) that add up to ``total``."""
    count = len(table.headers)
    weights = list(table.widths or (1,) * count)
    columns = [[row[n] for row in table.rows] for n in range(count)]
    heads = [[h] if len(h) <= HEADER_CHARS else [] for h in table.headers]
    least = [
        max(_least(columns[n], cell), _most(heads[n], head)) + padding + _SLACK
        for n in range(count)
    ]
    most = [
        max(_most(columns[n], cell), _most([table.headers[n]], head)) + padding + _SLACK
        for n in range(count)
    ]
    most = [max(m, low) for m, low in zip(most, least, strict=True)]
    widths: dict[int, float] = {}
    free = set(range(count))
    room = total
    while free:
        weight = sum(weights[n] for n in free)
        snug = [n for n in sorted(free) if most[n] <= room * weights[n] / weight]
        if not snug:
            break
        for n in snug:
            widths[n] = most[n]
            room -= most[n]
        free -= set(snug)
    if free:
        weight = sum(weights[n] for n in free)
        for n in free:
            widths[n] = max(least[n], room * weights[n] / weight)
        _shrink(widths, least, sorted(free), total)
    else:
        extra = room / count
        widths = {n: w + extra for n, w in widths.items()}
    found = [widths[n] for n in range(count)]
    scale = total / sum(found)
    return [w * scale for w in found] if scale < 1 else found


def _shrink(widths: dict[int, float], least: list[float], free: list[int], total: float) -> None:
    """Take back what the floors added from the free columns' slack above their floors."""
    over = sum(widths.values()) - total
    slack = {n: widths[n] - least[n] for n in free}
    spare = sum(slack.values())
    if over <= 0 or spare <= 0:
        return
    cut = min(1.0, over / spare)
    for n in free:
        widths[n] -= slack[n] * cut
