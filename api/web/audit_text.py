"""The verifier's answer in Chinese: whether the log is whole, and what exactly is not."""

from __future__ import annotations

from typing import Final

from infrastructure.chain_result import VerifyResult

MAX_LISTED: Final = 10
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
    problems = result.evidence_problems
    if result.evidence_checked:
        verdict = (
            "均与记录的 SHA-256 一致。" if not problems else f"其中 {len(problems)} 份有问题："
        )
        lines.append((not problems, f"核对佐证材料 {result.evidence_checked} 份，{verdict}"))
    for problem in problems[:MAX_LISTED]:
        state = "缺失" if problem.problem == "missing" else "内容已被改动"
        lines.append(
            (False, f"第 {problem.position} 条记录引用的佐证材料 {problem.sha256[:16]}… {state}。")
        )
    if len(problems) > MAX_LISTED:
        lines.append(
            (
                False,
                f"另有 {len(problems) - MAX_LISTED} 处问题（命令行 rectify verify 可列出全部）。",
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
