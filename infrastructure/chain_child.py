"""The range walker a child process runs: ``python -P -m infrastructure.chain_child``.

It reads its connection, timeouts and the exported snapshot as one JSON line on its standard
input (never its command line, which would show a password to ``ps``), then one JSON range
per line; it answers ``at <position>`` after each batch and ``part <json>`` after each range,
every answer one whole line, and exits when its input ends. When it fails it says why on its
standard error and exits non-zero; the parent gives its range to another walker. It imports
neither settings nor the application: it starts in a few tenths of a second.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from infrastructure import heap
from infrastructure.chain_range import Range, walk_range
from infrastructure.chain_sources import PostgresChainSource


def _say(out: IO[bytes], kind: bytes, text: str) -> None:
    out.write(kind + b" " + text.encode() + b"\n")
    out.flush()


def main() -> int:  # pragma: no cover - runs in the child; tests drive it through RangePool
    heap.settle()  # a long walk: the collector leaves start-up's objects alone
    out = sys.stdout.buffer
    try:
        header: dict[str, Any] = json.loads(sys.stdin.readline())
        source = PostgresChainSource(
            header["conninfo"],
            events_table=header["events_table"],
            snapshot=header["snapshot"],
            lock_timeout=header["lock_timeout"],
            connect_timeout=header["connect_timeout"],
        )
        try:
            for line in sys.stdin:
                data = json.loads(line)
                piece = Range(**{**data, "wanted": tuple(data["wanted"])})
                part = walk_range(source, piece, lambda at: _say(out, b"at", str(at)))
                _say(out, b"part", json.dumps(part.as_json()))
        finally:
            source.close()
    except BrokenPipeError:
        return 1  # the parent is gone
    except Exception as exc:  # the parent gives its range to another: tell it why
        said = " ".join(str(exc).split())  # one line: the parent reports the last
        print(f"{type(exc).__name__}: {said}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
