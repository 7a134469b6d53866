"""The PostgreSQL server the bench runs against, and fresh databases on it.

``RECTIFY_BENCH_DATABASE_URL`` names a server whose role may create databases; without it a
throwaway cluster is started the way the tests start theirs (``tests/pg_cluster.py``:
fsync and synchronous_commit off, so the figures measure CPU and locking, not the disk).
Every database the bench creates is dropped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from tests.pg_cluster import create_database, throwaway_cluster

BENCH_URL_VARIABLE = "RECTIFY_BENCH_DATABASE_URL"


@dataclass
class Server:
    url: str
    origin: str
    created: list[str] = field(default_factory=list)

    def database(self) -> str:
        """A fresh, empty database; answers its URL."""
        url = create_database(self.url)
        self.created.append(url)
        return url

    def describe(self) -> dict[str, Any]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()
                for name in ("fsync", "synchronous_commit", "shared_buffers", "max_connections")
            }
        return {
            "origin": self.origin,
            "version": version[0] if version else "",
            **{name: value[0] if value else "" for name, value in settings.items()},
        }

    def postmaster_pid(self) -> int | None:
        """The server's main process when it runs here and we may read its data directory
        (its children are the backends, whose CPU the service figures account for)."""
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                row = conn.execute("SHOW data_directory").fetchone()
            text = (Path(row[0]) / "postmaster.pid").read_text() if row else ""
            return int(text.split()[0]) if text else None
        except (psycopg.Error, OSError, ValueError, IndexError):
            return None

    def drop(self, *urls: str) -> None:
        """Drop databases this bench created (a large one as soon as it is measured)."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            for url in urls:
                name = url.rsplit("/", 1)[1]
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if url in self.created:
                    self.created.remove(url)

    def drop_created(self) -> None:
        self.drop(*self.created)


@contextmanager
def bench_server(url: str | None = None) -> Iterator[Server]:
    """The server named by ``url`` or RECTIFY_BENCH_DATABASE_URL, else a throwaway cluster."""
    url = url or os.environ.get(BENCH_URL_VARIABLE)
    if url:
        server = Server(url, origin=BENCH_URL_VARIABLE)
        try:
            yield server
        finally:
            server.drop_created()
        return
    with throwaway_cluster() as started:
        yield Server(started, origin="throwaway cluster (tests/pg_cluster.py)")
