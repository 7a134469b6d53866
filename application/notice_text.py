"""What a notice says and how it is laid out: its draft body, its headings, the appendix
that cites the events behind each record, and the names of units as a notice writes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from application.paperwork import (
    BODY,
    HEADING,
    SUBHEADING,
    Paragraph,
    Table,
    chinese_date,
)
from domain.campaign import Campaign
from domain.notice import ACCOUNTABILITY_KINDS
from domain.office_record import OfficeRecord

_DIGITS = "零一二三四五六七八九"
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")
_RECORDS_OF = {"RectificationItem": "整改事项记录", "Issue": "问题记录"}

Positions = Mapping[tuple[str, int], int]  # (aggregate id, version) → position in the log


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (headings count past ten)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{_DIGITS[tens]}十"
    return head + (_DIGITS[ones] if ones else "") if n else _DIGITS[0]


def coordination_office(campaign: Campaign) -> str:
    return f"{campaign.name}协调推进机制办公室"


def units_text(campaign: Campaign, codes: list[str]) -> str:
    offices = {u.code for u in campaign.offices()}
    if set(codes) == offices:
        return "省政府各驻外办事处"
    return "、".join(campaign.unit(c).name for c in codes)


def in_notice_order(campaign: Campaign, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records as the body tells them — by kind (滞后, 成效不明显, 弄虚作假), then by
    office in the campaign's order — so the appendix's 序号 follow the body."""
    kinds = list(ACCOUNTABILITY_KINDS)
    offices = [u.code for u in campaign.units]
    return sorted(records, key=lambda r: (kinds.index(r["kind"]), offices.index(r["office"])))


def draft_body(campaign: Campaign, records: list[dict[str, Any]]) -> str:
    """The body a coordinator starts from: the facts grouped by kind, then the demands."""
    lines = [
        f"按照《{campaign.name}方案》要求，协调推进机制办公室对各驻外办事处整改工作"
        "进展情况进行了调度和核查。现将有关情况通报如下：",
    ]
    section = 0
    for kind, label in ACCOUNTABILITY_KINDS.items():
        chosen = [r for r in records if r["kind"] == kind]
        if not chosen:
            continue
        section += 1
        lines.append(f"{chinese_numeral(section)}、{label}的情况")
        for n, record in enumerate(chosen, start=1):
            proof = "；".join(
                f"{chinese_date(date.fromisoformat(c['recorded_at'][:10]))}"
                f"{c['actor_name']}“{c['event_label']}”"
                for c in record["citations"]
            )
            proof_text = f"（事件依据：{proof}）" if proof else ""
            lines.append(f"（{chinese_numeral(n)}）{record['facts']}{proof_text}")
    lines.append(f"{chinese_numeral(section + 1)}、有关要求")
    lines.append(
        "被通报单位要高度重视，认真分析原因，切实压实工作责任，对通报指出的问题"
        "立即整改，并于收到本通报之日起15日内将整改落实情况书面报送协调推进机制办公室。"
        "对不作为乱作为、弄虚作假、造成国有资产流失的，依法依规追责问责。"
    )
    return "\n".join(lines)


def _level(text: str) -> int:
    """一、 and （一） start a heading, unless the line goes on as a paragraph (a sentence
    ends in it): a numbered paragraph is set in the body face like any other."""
    if "。" in text:
        return BODY
    return HEADING if _HEADING.match(text) else SUBHEADING if _SUBHEADING.match(text) else BODY


def body_blocks(body: str) -> list[Paragraph | Table]:
    return [Paragraph(text, _level(text)) for line in body.splitlines() if (text := line.strip())]


def office_records(campaign: Campaign) -> dict[str, str]:
    """Each office's record (work group, self-inspection, report): its id → the office."""
    return {str(OfficeRecord.create_id(u.code)): u.name for u in campaign.offices()}


def cited_at(
    citation: Mapping[str, Any], *, offices: Mapping[str, str], positions: Positions
) -> str:
    """Where an auditor finds a cited event: whose record, which entry of it, and its
    position in the event log (事件序号, as the audit log and the report's digest count)."""
    owner = offices.get(citation["aggregate_id"])
    record = f"{owner}报送记录" if owner else _RECORDS_OF.get(citation["aggregate_type"], "记录")
    position = positions.get((citation["aggregate_id"], int(citation["version"])))
    return f"{record}第{citation['version']}条" + (f"，事件序号{position}" if position else "")


def citations_table(
    records: list[dict[str, Any]], *, offices: Mapping[str, str], positions: Positions
) -> Table:
    rows = []
    for n, record in enumerate(records, start=1):
        proof = "\n".join(
            f"{c['recorded_at'][:16].replace('T', ' ')} {c['actor_name']} {c['event_label']}"
            f"（{cited_at(c, offices=offices, positions=positions)}）"
            + (f"：{c['comment']}" if c["comment"] else "")
            for c in record["citations"]
        )
        rows.append(
            (
                str(n),
                record["office_name"],
                record["kind_label"],
                record["issue_title"] or record["measure"],
                record["measure"] if record["issue_title"] else "",
                proof or "无相应报送记录",
            )
        )
    return Table(
        caption="",  # the appendix's own title names it
        headers=("序号", "单位", "情形", "问题", "整改事项", "依据（事件记录）"),
        rows=rows,
        widths=(2, 5, 6, 16, 16, 40),
    )
