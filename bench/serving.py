"""The service as production runs it: uvicorn workers and a projection worker, in processes.

``RECTIFY_ENV=prod`` with a random secret, JSON logs to a file, the projections in their own
process (``rectify projections run``). The bench talks to it over HTTP only.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

REPO = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rectify_script() -> str:
    return str(Path(sys.executable).with_name("rectify"))


@dataclass(frozen=True)
class ServiceEnv:
    """The production environment of the service under test."""

    database_url: str
    campaign_file: Path
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    extra: dict[str, str] = field(default_factory=dict)  # further RECTIFY_* settings
    code: Path = REPO  # the checkout whose code is served (another commit's, for an A/B)

    def variables(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
        if self.code != REPO:  # ahead of the editable install of this checkout
            env["PYTHONPATH"] = str(self.code)
        env.update(
            RECTIFY_ENV="prod",
            RECTIFY_SECRET_KEY=self.secret,
            RECTIFY_DATABASE_URL=self.database_url,
            RECTIFY_CAMPAIGN_FILE=str(self.campaign_file),
            RECTIFY_LOG_FORMAT="json",
            # The bench signs in a handful of accounts and drives them hard: the per-account
            # limit (an abuse guard, 600/min by default) would measure itself.
            RECTIFY_RATE_LIMIT_PER_MINUTE="1000000000",
        )
        env.update(self.extra)
        return env

    def run_cli(self, *args: str) -> None:
        done = subprocess.run(
            [rectify_script(), *args],
            env=self.variables(),
            cwd=self.code,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rectify {' '.join(args)} failed: {done.stderr or done.stdout}")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU used by groups of processes between two readings (processes may come and go)."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self.start = self._read()

    def _read(self) -> dict[str, dict[int, float]]:
        return {
            name: {pid: cpu_seconds(pid) for pid in pids()} for name, pids in self.groups.items()
        }

    def used(self) -> dict[str, float]:
        now = self._read()
        return {
            name: sum(cpu - self.start[name].get(pid, 0.0) for pid, cpu in now[name].items())
            for name in self.groups
        }


class Process:
    """A child process with its output in a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, args: list[str], *, env: ServiceEnv, log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.popen = subprocess.Popen(
                args, env=env.variables(), cwd=env.code, stdout=out, stderr=subprocess.STDOUT
            )

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.popen.args!r} exited ({self.popen.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


class ApiServer(Process):
    """``uvicorn api.http.app:create_app --factory --workers N``, as deployed."""

    def __init__(self, env: ServiceEnv, *, workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.started = time.perf_counter()
        args = [
            sys.executable,
            "-m",
            "uvicorn",
            "api.http.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--no-access-log",  # the app writes one summary line per request itself
            "--log-level",
            "warning",
        ]
        super().__init__(args, env=env, log=log)

    def wait_ready(self) -> float:
        """Seconds from the process start to the first 200 on /readyz."""
        deadline = self.started + READY_TIMEOUT
        while time.perf_counter() < deadline:
            self.check_alive()
            try:
                if call(self.port, "GET", "/readyz", timeout=2)[0] == 200:
                    return time.perf_counter() - self.started
            except (OSError, http.client.HTTPException):
                pass  # not listening yet
            time.sleep(0.01)
        raise RuntimeError(f"no 200 on /readyz within {READY_TIMEOUT:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests (the supervisor's spawned children, or itself)."""
        workers = []
        for pid in children(self.popen.pid):
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    workers.append(pid)
            except OSError:
                continue
        return workers or [self.popen.pid]

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) among the workers, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)


class ProjectionWorker(Process):
    """``rectify projections run``: the read models' own process in production."""

    def __init__(self, env: ServiceEnv, *, log: Path) -> None:
        super().__init__([rectify_script(), "projections", "run"], env=env, log=log)

    def pids(self) -> list[int]:
        """The command and the processes it spreads the views over."""
        return [self.popen.pid, *children(self.popen.pid)]


# HTTP from the bench's side (set-up only: the load itself comes from wrk) ----------------


def call(
    port: int,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str = "application/json",
    timeout: float = 30,
) -> tuple[int, bytes]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def call_json(port: int, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    status, body = call(port, method, path, **kwargs)
    if not 200 <= status < 300:
        raise RuntimeError(f"{method} {path} answered {status}: {body[:500]!r}")
    data: dict[str, Any] = json.loads(body or b"{}")
    return data


def sign_in(port: int, username: str, password: str) -> str:
    form = urllib.parse.urlencode({"username": username, "password": password}).encode()
    answer = call_json(
        port,
        "POST",
        "/api/auth/token",
        body=form,
        content_type="application/x-www-form-urlencoded",
    )
    return str(answer["access_token"])


def upload(port: int, token: str, *, name: str, data: bytes, media_type: str) -> str:
    boundary = uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {media_type}\r\n\r\n"
    )
    answer = call_json(
        port,
        "POST",
        "/api/evidence",
        token=token,
        body=head.encode() + data + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    return str(answer["sha256"])
