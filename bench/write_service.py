"""The service: HTTP commands through the whole stack, driven by wrk.

Set-up (not timed): ``rectify db init`` as production does it, accounts created through the
application (one clerk per wrk thread over the offices, an approving and a verifying
coordinator), the API started with uvicorn workers and the projection worker beside it,
every account signed in over HTTP and each clerk's evidence file uploaded. Then wrk runs the
command mix of ``bench/wrk/commands.lua`` at each number of clients (a short warm-up first).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from application.principal import Caller
from bench.campaign import write_current_campaign_file
from bench.serving import (
    ApiServer,
    CpuMeter,
    ProjectionWorker,
    ServiceEnv,
    children,
    sign_in,
    upload,
)
from bench.stats import Throughput
from infrastructure.container import build_container
from infrastructure.settings import load_settings

LUA = Path(__file__).with_name("wrk") / "commands.lua"
PASSWORD = "bench-password-not-secret"
EVIDENCE = b"%PDF-1.4\n% bench evidence\n" + b"0" * 20_000


class WrkMissing(RuntimeError):
    pass


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing(
            "wrk (the HTTP load generator) is not installed: run `make wrk` (apt-get install wrk)"
        )
    return found


@dataclass
class ServiceResult:
    workers: int
    by_clients: dict[int, Throughput] = field(default_factory=dict)
    # CPU milliseconds per completed command, by process group, at each number of clients
    cpu_ms: dict[int, dict[str, float]] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    ready_seconds: float = 0.0
    last_failure: str = ""


def create_accounts(env: ServiceEnv, *, clerks: int) -> list[tuple[str, str]]:
    """The admin, the clerks (offices in turn) and two coordinators; answers (clerk, office).

    wrk's thread n acts as clerk n modulo their number (signing in costs an argon2 hash).
    """
    settings = load_settings(database_url=env.database_url, campaign_file=env.campaign_file)
    container = build_container(settings)
    try:
        app = container.app
        admin_id = app.bootstrap_admin(username="admin", display_name="管理员", password=PASSWORD)
        admin = Caller(app.principal(admin_id), request_id="bench-setup")
        offices = [u.code for u in container.campaign.offices()]
        staff = [(f"clerk{n}", offices[n % len(offices)]) for n in range(clerks)]
        people = [(name, f"{office}经办{name}", "office_staff", office) for name, office in staff]
        people += [
            ("approver", "王协调（国资处）", "coordinator", "admin-bureau"),
            ("verifier", "李督办（国资处）", "coordinator", "admin-bureau"),
        ]
        for username, display_name, role, unit in people:
            app.create_account(
                admin,
                username=username,
                display_name=display_name,
                password=PASSWORD,
                grants=[(role, unit)],
            )
        return staff
    finally:
        container.close()


def lua_config(port: int, clerks: list[tuple[str, str]], *, deadline: date, path: Path) -> Path:
    entries = []
    for username, office in clerks:
        token = sign_in(port, username, PASSWORD)
        sha = upload(port, token, name="盘点表.pdf", data=EVIDENCE, media_type="application/pdf")
        entries.append(f'{{token="{token}", office="{office}", sha256="{sha}"}}')
    path.write_text(
        "return {\n  clerks = {\n    "
        + ",\n    ".join(entries)
        + "\n  },\n"
        + f'  approver = "{sign_in(port, "approver", PASSWORD)}",\n'
        + f'  verifier = "{sign_in(port, "verifier", PASSWORD)}",\n'
        + f'  deadline = "{deadline.isoformat()}",\n}}\n',
        encoding="utf-8",
    )
    return path


def run_wrk(base: str, config: Path, *, clients: int, seconds: float) -> dict[str, Any]:
    args = [
        wrk_binary(),
        f"-t{clients}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(config),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            found: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
            return found
    raise RuntimeError(f"wrk gave no figures: {done.stdout[-1000:]} {done.stderr[-1000:]}")


def as_throughput(clients: int, figures: dict[str, Any]) -> Throughput:
    seconds = figures["duration_us"] / 1e6
    return Throughput(
        clients=clients,
        operations=figures["completed"],
        seconds=seconds,
        per_second=figures["completed"] / seconds if seconds else 0.0,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=figures["failures"] + figures["socket_errors"] + figures["timeouts"],
    )


class ServiceBench:
    """One database prepared as production prepares it, served as often as asked."""

    def __init__(
        self, database_url: str, workdir: Path, *, clerks: int, postmaster: int | None = None
    ) -> None:
        wrk_binary()
        self.workdir = workdir
        self.postmaster = postmaster
        self.today = date.today()
        campaign_file = write_current_campaign_file(workdir, today=self.today)
        self.env = ServiceEnv(database_url, campaign_file)
        self.env.run_cli("db", "init")
        self.staff = create_accounts(self.env, clerks=clerks)

    def run(
        self,
        *,
        clients: tuple[int, ...],
        seconds: float,
        warmup: float,
        workers: int,
        settings: dict[str, str] | None = None,
        code: Path | None = None,
        label: str = "service",
    ) -> ServiceResult:
        """Serve (with these RECTIFY_* settings on top, from another checkout's code if
        given), warm up, then wrk at each count."""
        env = replace(self.env, extra=settings or {}, code=code or self.env.code)
        projections = ProjectionWorker(env, log=self.workdir / f"{label}-projections.log")
        server = ApiServer(env, workers=workers, log=self.workdir / f"{label}-api.log")
        result = ServiceResult(workers=workers)
        try:
            server.wait_ready()
            config = lua_config(
                server.port,
                self.staff,
                deadline=self.today + timedelta(days=30),
                path=self.workdir / f"{label}-wrk.lua",
            )
            if warmup > 0:
                run_wrk(server.base, config, clients=max(clients), seconds=warmup)
            for n in clients:
                meter = self._meter(server, projections)
                figures = run_wrk(server.base, config, clients=n, seconds=seconds)
                result.by_clients[n] = as_throughput(n, figures)
                commands = max(figures["completed"], 1)
                result.cpu_ms[n] = {k: v * 1000 / commands for k, v in meter.used().items()}
                result.last_failure = figures["last_failure"] or result.last_failure
            result.peak_rss_mb = server.peak_rss_mb()
        finally:
            server.stop()
            projections.stop()
        return result

    def _meter(self, server: ApiServer, projections: ProjectionWorker) -> CpuMeter:
        groups: dict[str, Callable[[], list[int]]] = {
            "api": server.worker_pids,
            "projections": projections.pids,
        }
        if self.postmaster is not None:
            groups["postgres"] = partial(children, self.postmaster)
        return CpuMeter(groups)

    def ready(self, *, attempts: int) -> float:
        """Median seconds from starting one API process to its first 200 on /readyz."""
        times = []
        for n in range(attempts):
            server = ApiServer(self.env, workers=1, log=self.workdir / f"ready-{n}.log")
            try:
                times.append(server.wait_ready())
            finally:
                server.stop()
        return sorted(times)[len(times) // 2]
