"""``python -m bench.api_cpu --against REF``: CPU per command of the HTTP layer, in process.

The service A/B (``bench.ab``) serves PostgreSQL over HTTP beside the projection worker and
wrk; on this shared 2-core machine its rounds move by ±15%, more than most changes to the
HTTP layer are worth. This measures that layer alone: the app as ``create_app`` builds it,
over the in-memory store, driven by direct ASGI calls on one event loop through wrk's
six-step command mix (find, plan, ask, approve, rectify citing evidence, verify), with the
read-your-writes wait off. The figure is CPU time per command, the best of ``--windows``
windows. Each side runs in a fresh interpreter, A on the commit REF (a temporary git
worktree), B on this checkout as it is, alternately ``--pairs`` times; then the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
Call = Callable[[str, str, dict[str, str], bytes], Awaitable[tuple[int, dict[str, str], bytes]]]


def asgi_client(app: Any) -> Call:
    """One request straight into the ASGI app: (status, headers, body)."""

    async def call(
        path: str, auth: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        raw = [(b"authorization", auth.encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        raw.append((b"content-length", str(len(body)).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        chunks = [{"type": "http.request", "body": body, "more_body": False}]
        answer: dict[str, Any] = {"body": b""}

        async def receive() -> dict[str, Any]:
            if chunks:
                return chunks.pop()
            await asyncio.Event().wait()  # never: the app stops reading once answered
            return {}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
            else:
                answer["body"] += message.get("body", b"")

        await app(scope, receive, send)
        return answer["status"], answer["headers"], answer["body"]

    return call


class CommandMix:
    """wrk's command mix (``bench/wrk/commands.lua``), one case after another."""

    def __init__(self, call: Call, tokens: dict[str, str], office: str, deadline: date) -> None:
        self.call = call
        self.auth = {name: f"Bearer {token}" for name, token in tokens.items()}
        self.office = office
        self.deadline = deadline.isoformat()
        self.sha256 = ""

    async def upload(self) -> None:
        boundary = "rectify-bench"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="pandian.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            "%PDF-1.4\n% bench evidence\n"
            f"\r\n--{boundary}--\r\n"
        ).encode()
        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        status, _, answer = await self.call("/api/evidence", self.auth["clerk"], headers, body)
        if status != 201:
            raise RuntimeError(f"upload answered {status}: {answer.decode()}")
        self.sha256 = json.loads(answer)["sha256"]

    async def post(self, who: str, path: str, body: dict[str, Any], etag: str | None) -> Any:
        headers = {"content-type": "application/json"} | ({"if-match": etag} if etag else {})
        status, answered, text = await self.call(
            path, self.auth[who], headers, json.dumps(body, ensure_ascii=False).encode()
        )
        if status not in (200, 201):
            raise RuntimeError(f"{path} answered {status}: {text.decode()}")
        return json.loads(text)["id"], answered["etag"]

    async def case(self, n: int) -> None:
        issue, etag = await self.post(
            "clerk",
            "/api/issues",
            {
                "office": self.office,
                "category": "basic_management",
                "subtype": "ledger_incomplete",
                "source": "self_inspection",
                "title": f"资产台账不健全（{n}）",
                "description": "部分办公设备未入账，账实不符",
                "assets": [{"code": f"ZC-{n}", "name": "办公设备"}],
            },
            None,
        )
        item, etag = await self.post(
            "clerk",
            f"/api/issues/{issue}/items",
            {
                "measure": "全面清查并补登资产台账",
                "measure_type": "basic_management",
                "responsible": "张伟",
                "deadline": self.deadline,
                "involves": "none",
            },
            etag,
        )
        rectified = {
            "description": "已完成资产清查，补登台账23条",
            "evidence": [{"sha256": self.sha256, "file_name": "盘点表.pdf"}],
        }
        for who, step, body in (
            ("clerk", "approval-request", {}),
            ("approver", "approvals", {"decision": "approve", "comment": "同意整改方案"}),
            ("clerk", "rectification", rectified),
            ("verifier", "verification", {"result": "pass", "comment": "经核查，整改到位"}),
        ):
            _, etag = await self.post(who, f"/api/items/{item}/{step}", body, etag)


COMMANDS_PER_CASE = 6


def measure(cases: int, windows: int) -> float:
    """In this interpreter (the code on sys.path): the best ms of CPU per command."""
    from api.http.app import create_app
    from application.principal import Caller
    from bench.campaign import write_current_campaign_file
    from infrastructure.container import build_container
    from infrastructure.logging import configure_logging
    from infrastructure.settings import load_settings

    configure_logging(log_format="json", level="error")
    workdir = Path(tempfile.mkdtemp(prefix="rectify-api-cpu-"))
    today = date.today()
    settings = load_settings(
        database_url="memory:",
        campaign_file=write_current_campaign_file(workdir, today=today),
        evidence_dir=workdir / "evidence",
        read_your_writes_seconds=0,
        rate_limit_per_minute=10**9,
    )
    container = build_container(settings)
    app = container.app
    admin = Caller(
        app.principal(
            app.bootstrap_admin(
                username="admin", display_name="管理员", password="not-secret-bench"
            )
        )
    )
    office = container.campaign.offices()[0].code
    tokens = {}
    for username, role, unit in (
        ("clerk", "office_staff", office),
        ("approver", "coordinator", "admin-bureau"),
        ("verifier", "coordinator", "admin-bureau"),
    ):
        created = app.create_account(
            admin,
            username=username,
            display_name=username,
            password="not-secret-bench",
            grants=[(role, unit)],
        )
        tokens[username] = created.id
    http = create_app(container=container)
    signer = http.state.services.signer
    mix = CommandMix(
        asgi_client(http),
        {name: signer.issue(account_id) for name, account_id in tokens.items()},
        office,
        today + timedelta(days=30),
    )

    async def run() -> float:
        await mix.upload()
        for n in range(cases):  # warm-up
            await mix.case(n)
        best = float("inf")
        for window in range(1, windows + 1):
            started = time.process_time()
            for n in range(cases):
                await mix.case(window * cases + n)
            best = min(best, (time.process_time() - started) / (cases * COMMANDS_PER_CASE))
        return best * 1000

    return asyncio.run(run())


def measure_in(code: Path, cases: int, windows: int) -> float:
    """``measure`` in a fresh interpreter on the code of ``code``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    done = subprocess.run(
        [
            sys.executable,
            "-P",
            str(Path(__file__).resolve()),
            "--measure",
            str(cases),
            str(windows),
        ],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"measuring {code} failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_cpu", description=__doc__)
    parser.add_argument("--against", metavar="REF", help="the commit to compare with (A)")
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--cases", type=int, default=25, help="cases per window (6 commands)")
    parser.add_argument("--windows", type=int, default=7)
    parser.add_argument("--measure", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(f"{measure(*args.measure):.4f}")
        return 0
    from bench.ab import checkout  # here: a --measure child may run on older code

    with (
        tempfile.TemporaryDirectory(prefix="rectify-api-cpu-") as workdir,
        checkout(args.against, Path(workdir) / "a-side") as a_code,
    ):
        sides = {"A": a_code, "B": REPO} if a_code else {"B": REPO}
        found: dict[str, list[float]] = {side: [] for side in sides}
        for n in range(args.pairs):
            for side, code in sides.items():
                found[side].append(measure_in(code, args.cases, args.windows))
            print(
                f"pair {n + 1}: "
                + "   ".join(f"{s} {v[-1]:.3f} ms/command" for s, v in found.items()),
                flush=True,
            )
    medians = {side: statistics.median(values) for side, values in found.items()}
    print(f"\nCPU per command, median of {args.pairs} (each the best of {args.windows} windows)")
    for side, value in medians.items():
        print(f"{side}: {value:.3f} ms")
    if "A" in medians:
        print(f"B/A: {medians['B'] / medians['A']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
