"""Failing evidence files are reported once each, however often the log cites them: by
``rectify verify`` (every file, a widely cited one with its first citations and how many)
and on the audit page (the first files, then how many more)."""

from __future__ import annotations

from api.cli import audit_trail
from api.web.audit_text import verify_lines
from infrastructure.chain_result import EvidenceProblem, FailedFile, VerifyResult

WIDELY = "a" * 64
ONCE = [f"{n:02d}" * 32 for n in range(12)]
WIDELY_AT = [100 + 7 * n for n in range(12)]


def result() -> VerifyResult:
    """A file cited twelve times, missing; twelve others cited once, altered; 20 cited."""
    problems = [EvidenceProblem(p, WIDELY, "missing") for p in WIDELY_AT[:6]]
    problems += [EvidenceProblem(500 + n, sha, "altered") for n, sha in enumerate(ONCE)]
    problems += [EvidenceProblem(p, WIDELY, "missing") for p in WIDELY_AT[6:]]
    return VerifyResult(
        chain_kept=True,
        head_position=900,
        head_hash="f" * 64,
        events=900,
        evidence_checked=20,
        evidence_problems=tuple(problems),
    )


def test_problems_are_grouped_by_file_in_the_order_first_cited() -> None:
    failed = result().failed_files

    assert failed[0] == FailedFile(WIDELY, "missing", tuple(WIDELY_AT))
    assert failed[1:] == [FailedFile(sha, "altered", (500 + n,)) for n, sha in enumerate(ONCE)]


def test_rectify_verify_lists_every_file_once_and_counts_a_wide_ones_citations() -> None:
    with audit_trail.console.capture() as captured:
        audit_trail._print_evidence(result())
    lines = captured.get().splitlines()

    assert lines[0] == "evidence: 13 of 20 file(s) fail"
    shown = ", ".join(str(p) for p in WIDELY_AT[:10])
    assert lines[1] == f"  {WIDELY} missing (cited at position {shown}, … (12 citations))"
    assert lines[2:] == [
        f"  {sha} altered (cited at position {500 + n})" for n, sha in enumerate(ONCE)
    ]


def test_the_audit_page_counts_files_not_citations() -> None:
    texts = [text for _, text in verify_lines(result())]

    assert "核对佐证材料 20 份，其中 13 份有问题：" in texts
    cited = "、".join(str(p) for p in WIDELY_AT[:5])
    assert f"佐证材料 {WIDELY[:16]}… 缺失（第 {cited} 等 12 条记录引用）。" in texts
    assert f"佐证材料 {ONCE[0][:16]}… 内容已被改动（第 500 条记录引用）。" in texts
    assert sum(text.startswith("佐证材料") for text in texts) == 10
    assert texts[-1] == "另有 3 份有问题（命令行 rectify verify 可列出全部）。"
