"""What the verifier answers: plain dataclasses, with a JSON-ready ``as_dict``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BreakKind = Literal["changed", "removed", "inserted", "reordered"]
FileProblem = Literal["missing", "altered"]


@dataclass(frozen=True)
class ChainBreak:
    position: int
    kind: BreakKind
    detail: str

    @classmethod
    def changed(cls, position: int) -> ChainBreak:
        return cls(position, "changed", f"the record at position {position} was changed")

    @classmethod
    def removed_record(cls, position: int) -> ChainBreak:
        return cls(position, "removed", f"the record at position {position} was removed")

    @classmethod
    def inserted_without_link(cls, position: int) -> ChainBreak:
        return cls(position, "inserted", f"the record at position {position} was inserted: no link")

    @classmethod
    def inserted_between(cls, position: int, linked_to: int | None) -> ChainBreak:
        after = f"after position {linked_to}" if linked_to is not None else "before the first"
        return cls(position, "inserted", f"the record at position {position} was inserted {after}")

    @classmethod
    def reordered(cls, position: int, belongs_at: int) -> ChainBreak:
        return cls(
            position,
            "reordered",
            f"the record at position {position} was moved there from position {belongs_at}",
        )


@dataclass(frozen=True)
class Checkpoint:
    """A position and the chain hash there, taken from a digest whose signature checked."""

    position: int
    hash: bytes
    label: str = ""


@dataclass(frozen=True)
class CheckpointOutcome:
    label: str
    position: int
    ok: bool
    kind: BreakKind | None  # None: extended, or not reached because the chain broke first
    detail: str

    @classmethod
    def extended(cls, c: Checkpoint, head: int | None) -> CheckpointOutcome:
        return cls(c.label, c.position, True, None, f"today's log (head {head}) extends it")

    @classmethod
    def rewritten(cls, c: Checkpoint) -> CheckpointOutcome:
        return cls(
            c.label,
            c.position,
            False,
            "changed",
            f"the history up to position {c.position} was rewritten: its hash differs from "
            "the digest's (the chain was recomputed)",
        )

    @classmethod
    def gone(cls, c: Checkpoint, head: int | None) -> CheckpointOutcome:
        return cls(
            c.label,
            c.position,
            False,
            "removed",
            f"the record at position {c.position} was removed (today's log ends at {head})",
        )

    @classmethod
    def unreached(cls, c: Checkpoint, broken_at: int) -> CheckpointOutcome:
        return cls(
            c.label,
            c.position,
            False,
            None,
            f"not checked: the chain breaks at position {broken_at}, before it",
        )


@dataclass(frozen=True)
class EvidenceRef:
    position: int
    sha256: str
    name: str | None = None


@dataclass(frozen=True)
class EvidenceProblem:
    position: int
    sha256: str
    problem: FileProblem

    @property
    def detail(self) -> str:
        what = "is missing" if self.problem == "missing" else "no longer has its SHA-256"
        return f"evidence {self.sha256} cited at position {self.position} {what}"


@dataclass(frozen=True)
class FailedFile:
    """One evidence file that is missing or altered, and every position citing it."""

    sha256: str
    problem: FileProblem
    positions: tuple[int, ...]


@dataclass(frozen=True)
class VerifyResult:
    chain_kept: bool
    head_position: int | None
    head_hash: str | None
    events: int
    broken: ChainBreak | None = None
    evidence_checked: int = 0
    evidence_problems: tuple[EvidenceProblem, ...] = ()
    checkpoints: tuple[CheckpointOutcome, ...] = field(default_factory=tuple)
    rejected_digests: tuple[tuple[str, str], ...] = ()  # (label, reason)
    seconds: float = 0.0
    processes: int = 1  # how many processes walked the log

    @property
    def ok(self) -> bool:
        return (
            self.chain_kept
            and self.broken is None
            and not self.evidence_problems
            and all(c.ok for c in self.checkpoints)
            and not self.rejected_digests
        )

    @property
    def failed_files(self) -> list[FailedFile]:
        """The evidence problems one per file, in the order the log first cites them."""
        cited: dict[tuple[str, FileProblem], list[int]] = {}
        for found in self.evidence_problems:
            cited.setdefault((found.sha256, found.problem), []).append(found.position)
        return [
            FailedFile(sha256, problem, tuple(positions))
            for (sha256, problem), positions in cited.items()
        ]

    @property
    def first_break(self) -> ChainBreak | None:
        """The chain's own break, else the earliest checkpoint that today's log fails."""
        if self.broken is not None:
            return self.broken
        failed = [(c.position, c.kind, c.detail) for c in self.checkpoints if c.kind is not None]
        if not failed:
            return None
        position, kind, detail = min(failed, key=lambda f: f[0])
        return ChainBreak(position, kind, detail)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        if not self.chain_kept:
            return "this store (memory:) keeps no hash chain: nothing to verify"
        lines = []
        found = self.first_break
        if found is not None:
            lines.append(f"BROKEN at position {found.position} ({found.kind}): {found.detail}")
        else:
            lines.append(
                f"chain ok: {self.events} events, head position {self.head_position}, "
                f"hash {self.head_hash}"
            )
        lines += [f"evidence problem: {p.detail}" for p in self.evidence_problems]
        lines += [f"digest {c.label}: {c.detail}" for c in self.checkpoints]
        lines += [f"digest {label} REJECTED: {reason}" for label, reason in self.rejected_digests]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        found = self.first_break
        return {
            "ok": self.ok,
            "chain_kept": self.chain_kept,
            "head": {
                "position": self.head_position,
                "hash": self.head_hash,
                "events": self.events,
            },
            "break": None
            if found is None
            else {"position": found.position, "kind": found.kind, "detail": found.detail},
            "evidence": {
                "checked": self.evidence_checked,
                "problems": [
                    {"position": p.position, "sha256": p.sha256, "problem": p.problem}
                    for p in self.evidence_problems
                ],
            },
            "digests": [
                {
                    "label": c.label,
                    "position": c.position,
                    "ok": c.ok,
                    "kind": c.kind,
                    "detail": c.detail,
                }
                for c in self.checkpoints
            ],
            "rejected_digests": [
                {"label": label, "reason": reason} for label, reason in self.rejected_digests
            ],
            "seconds": round(self.seconds, 3),
        }
