"""Chinese line breaking (禁则) for the PDF renderer, which sets every line itself.

A line never starts with closing punctuation (，。；：、）」』”！？ and the like) nor ends
with opening punctuation (（「『“): the character before the break moves down with it. A
paragraph's last line is never one character alone, numbers, dates and other short Latin
runs are never split, and a title or a signature can be broken into lines of even length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Measure = Callable[[str], float]

CANNOT_START = frozenset("，。；：、）」』”’！？》〉】〕…—,.;:!?)]}%")
CANNOT_END = frozenset("（「『“‘《〈【〔([{")
_FUZZ = 1e-6
_ATOM_CHARS = 24  # a Latin run up to this long (a date, a number, a key id) stays whole
_UNITS = re.compile(r"[\x21-\x7e]+|\s|.", re.DOTALL)


def units(text: str) -> list[str]:
    """The pieces a line may break between: a short Latin run, a space, or one character."""
    found: list[str] = []
    for unit in _UNITS.findall(text):
        found += [unit] if len(unit) <= _ATOM_CHARS else list(unit)
    return found


def _carry(line: list[str], after: str) -> int:
    """How many units at the end of ``line`` must move down when the next line starts with
    ``after``, so that neither line breaks a rule (never the whole line)."""
    carry = 0
    while carry < len(line) - 1:
        head = line[len(line) - carry] if carry else after
        tail = line[len(line) - carry - 1]
        if head[0] in CANNOT_START or tail[-1] in CANNOT_END:
            carry += 1
        else:
            break
    return carry


def _lone(line: list[str]) -> bool:
    """A last line of one character, the punctuation that closes it aside."""
    return len("".join(u for u in line if not u.isspace() and u[0] not in CANNOT_START)) <= 1


def _fill(pieces: list[str], widths: Sequence[float], measure: Measure) -> list[list[str]]:
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    queue = list(reversed(pieces))
    while queue:
        unit = queue.pop()
        limit = widths[min(len(lines), len(widths) - 1)]
        width = measure(unit)
        if unit.isspace() or not line or used + width <= limit + _FUZZ:
            if not line and len(unit) > 1 and width > limit + _FUZZ:
                queue += reversed(list(unit))  # a Latin run wider than the line
                continue
            if line or not unit.isspace():
                line.append(unit)
                used += width
            continue
        carry = _carry(line, unit)
        kept, moved = line[: len(line) - carry], line[len(line) - carry :]
        lines.append(kept)
        queue += reversed([*moved, unit])
        line, used = [], 0.0
    if line:
        lines.append(line)
    return lines


def _widow(lines: list[list[str]], widths: Sequence[float], measure: Measure) -> None:
    """Give a lone last character company from the line above, when it fits and the
    rules allow."""
    if len(lines) < 2 or not _lone(lines[-1]):
        return
    above = lines[-2]
    carry = 1 + _carry(above[:-1], above[-1])
    if carry >= len(above):
        return
    last = [*above[len(above) - carry :], *lines[-1]]
    limit = widths[min(len(lines) - 1, len(widths) - 1)]
    if measure("".join(last).rstrip()) <= limit + _FUZZ:
        lines[-2:] = [above[: len(above) - carry], last]


def break_lines(text: str, widths: Sequence[float], measure: Measure) -> list[str]:
    """The lines of ``text``: the first ``widths[0]`` wide, the next ``widths[1]`` and so
    on (the last width repeats)."""
    lines = _fill(units(text), widths, measure)
    _widow(lines, widths, measure)
    return ["".join(line).rstrip() for line in lines] or [""]


def balanced_lines(text: str, widths: Sequence[float], measure: Measure) -> list[str]:
    """As few lines as ``break_lines`` needs, of lengths as even as can be: a title or a
    signature reads as a block, not a full line and a short remainder."""
    greedy = break_lines(text, widths, measure)
    if len(greedy) < 2:
        return greedy
    low, high = 0.0, 1.0
    for _ in range(16):
        middle = (low + high) / 2
        if len(break_lines(text, [w * middle for w in widths], measure)) <= len(greedy):
            high = middle
        else:
            low = middle
    return break_lines(text, [w * high for w in widths], measure)


# Where a title's line may end without splitting a word (GB/T 9704: 回行时要做到词意完整):
# after a word that closes a phrase in these documents' titles.
_PHRASE_ENDS = (
    *("关于", "的", "、", "和", "及", "与"),
    *("问题", "情况", "工作", "管理", "资产", "办事处", "单位"),
)
_KEPT_WHOLE = ("资产管理",)  # a phrase's end inside a longer word
_MOST_UNEVEN_EMS = 6  # 长短适宜: two lines a phrase apart, not a full line over a word


def phrased_lines(text: str, widths: Sequence[float], measure: Measure) -> list[str]:
    """A title's, a masthead's or a signature's lines: of two, broken after a phrase as
    near the middle as fits, even if that leaves them less even than ``balanced_lines``
    would; of more, as ``balanced_lines`` sets them."""
    lines = balanced_lines(text, widths, measure)
    if len(lines) != 2:
        return lines
    limits = (widths[0], widths[min(1, len(widths) - 1)])
    most_uneven = _MOST_UNEVEN_EMS * measure("国")
    found: list[tuple[float, list[str]]] = []
    for cut in _phrase_breaks(text):
        first, second = text[:cut].rstrip(), text[cut:].lstrip()
        if not (first and second) or second[0] in CANNOT_START or first[-1] in CANNOT_END:
            continue
        width, rest = measure(first), measure(second)
        if width > limits[0] + _FUZZ or rest > limits[1] + _FUZZ:
            continue
        if abs(width - rest) <= most_uneven:
            found.append((abs(width - rest), [first, second]))
    return min(found, key=lambda option: option[0])[1] if found else lines


def _phrase_breaks(text: str) -> list[int]:
    """The places after a phrase's end, between two of ``units``' pieces."""
    places, at = [], 0
    for unit in units(text):
        at += len(unit)
        whole = any(word in text[at - len(word) + 1 : at + len(word) - 1] for word in _KEPT_WHOLE)
        if text[:at].endswith(_PHRASE_ENDS) and not whole:
            places.append(at)
    return places
