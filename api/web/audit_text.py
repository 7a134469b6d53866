"""The verifier's answer in Chinese: whether the log is whole, and what exactly is not."""

from __future__ import annotations

from typing import Final

from infrastructure.chain_result import VerifyResult

MAX_LISTED: Final = 10  # files
POSITIONS_LISTED: Final = 5  # of one file's citations
BREAKS: Final = {
    "changed": "被修改",
    "removed": "被删除",
    "inserted": "被插入",
    "reordered": "顺序被调换",
}


def verify_lines(result: VerifyResult) -> list[tuple[bool, str]]:
    """(fine, sentence) for each finding, the overall verdict first."""
    if not result.chain_kept:
        return [(False, "当前存储（内存）不保留哈希链，无法校验。")]
    lines: list[tuple[bool, str]] = []
    found = result.first_break
    if found is None:
        lines.append(
            (
                True,
                f"哈希链完整：共 {result.events} 条事件，链头位置 {result.head_position}，"
                f"哈希 {result.head_hash}。",
            )
        )
    else:
        what = BREAKS.get(found.kind, found.kind)
        lines.append((False, f"日志已被篡改：第 {found.position} 条记录{what}。"))
    failed = result.failed_files
    if result.evidence_checked:
        verdict = "均与记录的 SHA-256 一致。" if not failed else f"其中 {len(failed)} 份有问题："
        lines.append((not failed, f"核对佐证材料 {result.evidence_checked} 份，{verdict}"))
    for file in failed[:MAX_LISTED]:
        state = "缺失" if file.problem == "missing" else "内容已被改动"
        cited = "、".join(str(p) for p in file.positions[:POSITIONS_LISTED])
        if len(file.positions) > POSITIONS_LISTED:
            cited += f" 等 {len(file.positions)}"
        lines.append((False, f"佐证材料 {file.sha256[:16]}… {state}（第 {cited} 条记录引用）。"))
    if len(failed) > MAX_LISTED:
        lines.append(
            (
                False,
                f"另有 {len(failed) - MAX_LISTED} 份有问题（命令行 rectify verify 可列出全部）。",
            )
        )
    for checkpoint in result.checkpoints:
        if checkpoint.ok:
            text = f"摘要 {checkpoint.label}（位置 {checkpoint.position}）：今天的日志仍然延续它。"
        elif checkpoint.kind is None:
            text = f"摘要 {checkpoint.label}：日志在它之前已断开，未能核对。"
        else:
            what = BREAKS.get(checkpoint.kind, checkpoint.kind)
            text = f"摘要 {checkpoint.label}：第 {checkpoint.position} 条及以前的记录{what}。"
        lines.append((checkpoint.ok, text))
    for label, _reason in result.rejected_digests:
        lines.append((False, f"摘要 {label} 无效：签名不符、文件被改动或格式不对。"))
    return lines
