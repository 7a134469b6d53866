"""The library: a bare eventsourcing ``Application.save`` of one new aggregate's one event.

Stock persistence (``eventsourcing.postgres``): each append takes the events table's lock,
so concurrent writers queue on it. Nothing of rectify is involved. The same again through
the service's own recorder (an advisory lock and a hash-chain link with every event, in one
round trip; saves made at the same moment by the threads share a transaction, see
``infrastructure.group_commit``) shows what the chain costs, and what grouping saves.
``GROUP_COMMIT_MAX_EVENTS=0`` in the environment measures it without grouping.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.clients import Operation, drive
from bench.stats import Throughput
from infrastructure.database import DatabaseUrl


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class BareApplication(Application[UUID]):
    name = "BenchLibrary"


STOCK = "eventsourcing.postgres"
CHAINED = "infrastructure.recorders:ChainedPostgresFactory"  # the service's own recorder


def library_env(url: str, *, pool: int, persistence: str = STOCK) -> dict[str, str]:
    parsed = DatabaseUrl.parse(url)
    return {
        "PERSISTENCE_MODULE": persistence,
        "POSTGRES_DBNAME": parsed.dbname,
        "POSTGRES_HOST": parsed.host,
        "POSTGRES_PORT": str(parsed.port),
        "POSTGRES_USER": parsed.user,
        "POSTGRES_PASSWORD": parsed.password,
        "POSTGRES_POOL_SIZE": str(pool),
        "POSTGRES_MAX_OVERFLOW": "0",
        "POSTGRES_CONNECT_TIMEOUT": "30",
    }


def measure_library(
    url: str, *, clients: int, seconds: float, warmup: float, persistence: str = STOCK
) -> Throughput:
    app = BareApplication(env=library_env(url, pool=clients, persistence=persistence))
    text = "整改措施已落实，资料附后。" * 12  # a payload of a typical event's size

    @contextmanager
    def client(_: int) -> Iterator[Operation]:
        def save_one() -> None:
            app.save(Note(text=text))

        yield save_one

    try:
        return drive(client, clients=clients, seconds=seconds, warmup=warmup)
    finally:
        app.close()
