"""One database, two dialects: the eventsourcing environment and our own side tables.

``sqlite:///path`` is the embedded default (no server), ``postgresql://…`` production and
``memory:`` the library's in-memory store for fast tests.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from infrastructure.settings import Settings


@dataclass(frozen=True)
class DatabaseUrl:
    dialect: str  # "sqlite" | "postgres" | "memory"
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""

    @classmethod
    def parse(cls, url: str) -> DatabaseUrl:
        if url.startswith("memory:"):
            return cls(dialect="memory")
        if url.startswith("sqlite:///"):
            return cls(dialect="sqlite", path=url.removeprefix("sqlite:///"))
        parts = urlsplit(url)
        return cls(
            dialect="postgres",
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=(parts.path or "/").lstrip("/") or "postgres",
        )

    def conninfo(self) -> str:
        info = f"host={self.host} port={self.port} user={self.user} dbname={self.dbname}"
        return info + (f" password={self.password}" if self.password else "")


def eventsourcing_env(settings: Settings) -> dict[str, str]:
    """The library's environment, with timeouts bounded (its defaults wait for minutes)."""
    return _persistence_env(settings) | aggregate_cache_env(settings.aggregate_cache_size)


def aggregate_cache_env(size: int) -> dict[str, str]:
    """The library's aggregate cache: at most ``size`` aggregates, least recently used out.

    Always with fast-forward (every read of the current state first applies the events
    stored after the cached version, so other processes' writes are seen at once), deep
    copies (a command changes its own copy: a refused one leaves the cache as stored) and
    blocking fast-forward locks (no read returns a stale aggregate). Reads of a version
    (``version=``, as-of) bypass the cache.
    """
    if size <= 0:
        return {}
    return {
        "AGGREGATE_CACHE_MAXSIZE": str(size),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
        "AGGREGATE_CACHE_FASTFORWARD_SKIPPING": "n",
    }


def _persistence_env(settings: Settings) -> dict[str, str]:
    url = DatabaseUrl.parse(settings.database_url)
    if url.dialect == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if url.dialect == "sqlite":
        Path(url.path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "infrastructure.recorders:ChainedSQLiteFactory",  # hash chain
            "SQLITE_DBNAME": url.path,
            "SQLITE_LOCK_TIMEOUT": str(settings.lock_timeout),
        }
    return {
        "PERSISTENCE_MODULE": "infrastructure.recorders:ChainedPostgresFactory",  # hash chain
        "POSTGRES_DBNAME": url.dbname,
        "POSTGRES_HOST": url.host,
        "POSTGRES_PORT": str(url.port),
        "POSTGRES_USER": url.user,
        "POSTGRES_PASSWORD": url.password,
        "POSTGRES_POOL_SIZE": str(settings.pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": str(settings.connect_timeout),
        "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout),
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
        # appends running at once in one process share a transaction (0: one each)
        "GROUP_COMMIT_MAX_EVENTS": str(settings.group_commit_max_events),
    }


class Cursor(Protocol):
    @property
    def connection(self) -> Any: ...

    def execute(self, query: str, params: Any = ...) -> Any: ...

    def close(self) -> None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SideDatabase:
    """Our own tables beside the events (credentials, and later views and the chain).

    Queries use ``%s`` placeholders; SQLite gets them rewritten to ``?``.
    """

    def __init__(self, url: DatabaseUrl, settings: Settings) -> None:
        self.url = url
        self.dialect = url.dialect
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        self._pool: Any = None
        if url.dialect == "postgres":
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(
                url.conninfo(),
                min_size=1,
                max_size=settings.pool_size,
                timeout=settings.connect_timeout,
                kwargs={"autocommit": False},
                check=ConnectionPool.check_connection,
                open=True,
            )
        elif url.dialect == "memory":
            self._memory = sqlite3.connect(":memory:", check_same_thread=False)

    def sql(self, query: str) -> str:
        return query.replace("%s", "?") if self.dialect != "postgres" else query

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        if self._pool is not None:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield cur
            return
        if self._memory is not None:
            with self._lock:
                cur = self._memory.cursor()
                try:
                    yield cur
                    self._memory.commit()
                except BaseException:
                    self._memory.rollback()
                    raise
            return
        conn = sqlite3.connect(self.url.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def pipeline(self, cur: Cursor) -> AbstractContextManager[Any]:
        """On PostgreSQL, the cursor's connection in pipeline mode for the block: statements
        whose results nobody reads yet are sent without waiting for each answer, and go
        with the next that is read (COPY cannot run in it). Elsewhere nothing changes."""
        if self.dialect != "postgres":
            return nullcontext()
        pipeline: AbstractContextManager[Any] = cur.connection.pipeline()
        return pipeline

    def execute(self, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.transaction() as cur:
            cur.execute(self.sql(query), params)
            try:
                return list(cur.fetchall())
            except Exception:  # a statement that returns no rows
                return []

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._memory is not None:
            self._memory.close()
