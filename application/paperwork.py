"""What a formal document says, and the ports that render, keep and certify it.

Notices (通报) and reports (整改情况报告) are both official documents in the layout of a
government document: masthead, number, title, addressee, body, signature and date. The
application writes their content as a ``FormalDocument``; infrastructure renders it (DOCX,
PDF) behind ``DocumentRenderer`` and keeps the bytes behind ``DocumentStore``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final, Protocol
from zoneinfo import ZoneInfo

FORMATS: Final = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

BODY: Final = 0
HEADING: Final = 1  # 一、 in 黑体
SUBHEADING: Final = 2  # （一） in 楷体


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = BODY


@dataclass(frozen=True)
class Table:
    caption: str  # "" for none (a table that is its appendix's whole content)
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    widths: tuple[int, ...] = ()  # relative column widths; equal when empty

    def __post_init__(self) -> None:
        for n, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ValueError(f"row {n} has {len(row)} cells for {len(self.headers)} columns")


Block = Paragraph | Table


@dataclass(frozen=True)
class FormalDocument:
    title: str
    addressee: str  # 主送, ending in a full-width colon
    body: list[Block]
    issuer: str  # 落款
    dated: date
    masthead: str = ""  # 发文机关标志 (red), empty for a report
    number: str = ""  # 文号
    copy_to: str = ""  # 抄送
    appendix_title: str = ""
    appendix: list[Block] = field(default_factory=list)
    stamp: str = ""  # top right, when the text is not (or no longer) an issued one

    def text(self) -> str:
        """Every word of the document, in reading order (for logs and tests)."""
        parts = [self.masthead, self.number, self.title, self.addressee]
        for block in [*self.body, *self.appendix]:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend([block.caption, *block.headers, *(c for r in block.rows for c in r)])
        return "\n".join([*parts, self.issuer, chinese_date(self.dated), self.copy_to])


def chinese_date(day: date) -> str:
    """2026年10月10日: the date as written on a government document."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_moment(moment: datetime, zone: str) -> str:
    """2026年11月29日 20:36: a moment as read on the campaign's clocks (its time zone); a
    moment without a zone is in UTC, as the event store keeps them."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(ZoneInfo(zone))
    return f"{chinese_date(local.date())} {local:%H:%M}"


@dataclass(frozen=True)
class AuditDigest:
    """The latest signed digest of the audit trail (position, chained hash, signature)."""

    position: int
    head_hash: str
    signed_at: datetime
    signature: str
    key_id: str

    def as_dict(self) -> dict[str, str | int]:
        return {
            "position": self.position,
            "head_hash": self.head_hash,
            "signed_at": self.signed_at.isoformat(),
            "signature": self.signature,
            "key_id": self.key_id,
        }


class DocumentRenderer(Protocol):
    def render(self, document: FormalDocument, fmt: str) -> bytes:
        """The document as ``docx`` or ``pdf`` bytes."""
        ...


class DocumentStore(Protocol):
    def put(self, data: bytes, *, media_type: str, file_name: str) -> str:
        """Keep the bytes; answers their SHA-256 (the same bytes twice are kept once)."""
        ...

    def get(self, sha256: str) -> bytes:
        """The bytes with this SHA-256; KeyError when absent."""
        ...


class DigestSource(Protocol):
    def latest(self) -> AuditDigest | None:
        """The latest signed digest, or None when none was signed yet."""
        ...


class NoDigests:
    def latest(self) -> AuditDigest | None:
        return None


class DocumentsNotConfigured(Exception):
    """The application was built without a renderer or a store (a wiring mistake)."""
