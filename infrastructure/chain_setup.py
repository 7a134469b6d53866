"""``rectify db init`` on PostgreSQL: the event log created by an owner, appended by the service.

With ``RECTIFY_OWNER_DATABASE_URL`` set, the owner role creates the events, snapshot and
chain tables, puts ``ENABLE ALWAYS`` triggers on the events and chain tables refusing
UPDATE, DELETE and TRUNCATE, and grants the service role (the user of
``RECTIFY_DATABASE_URL``) only SELECT and INSERT on them and USAGE on their id sequence.
The service gets USAGE and CREATE on the schema, so it creates and owns its side tables
(credentials, evidence, projections) itself. Without an owner URL the one role creates
everything and the triggers still stand.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Composed, Identifier

from application.service import RectifyApp
from infrastructure.chain import chain_table_name
from infrastructure.database import DatabaseUrl, eventsourcing_env
from infrastructure.recorders import postgres_append_only_statements
from infrastructure.settings import Settings

SCHEMA = "public"


class ChainSetupError(Exception):
    """The owner and service URLs do not fit together, or the database refused."""


@dataclass(frozen=True)
class ChainSetup:
    owner: str
    service: str
    separate_roles: bool
    append_only_tables: tuple[str, ...]


def log_tables() -> tuple[str, str, str]:
    prefix = RectifyApp.name.lower()
    events = f"{prefix}_events"
    return events, chain_table_name(events), f"{prefix}_snapshots"


def prepare_postgres_log(settings: Settings) -> ChainSetup:
    """Create the log's tables as the owner, then the triggers and the service's grants."""
    service = DatabaseUrl.parse(settings.database_url)
    owner_url = settings.owner_database_url or settings.database_url
    owner = DatabaseUrl.parse(owner_url)
    if owner.dialect != "postgres":
        raise ChainSetupError("RECTIFY_OWNER_DATABASE_URL must be a postgresql:// URL")
    if (owner.host, owner.port, owner.dbname) != (service.host, service.port, service.dbname):
        raise ChainSetupError(
            "RECTIFY_OWNER_DATABASE_URL and RECTIFY_DATABASE_URL must name the same database"
        )
    _create_log_tables(settings.model_copy(update={"database_url": owner_url}))
    events, chain, snapshots = log_tables()
    separate = owner.user != service.user
    statements: list[Composed] = []
    for table in (events, chain):
        statements += postgres_append_only_statements(SCHEMA, table)
    if separate:
        statements += _service_grants(service.user, (events, chain, snapshots))
    try:
        with psycopg.connect(owner.conninfo(), autocommit=False) as conn:
            for statement in statements:
                conn.execute(statement)
    except psycopg.Error as exc:
        raise ChainSetupError(f"the database refused the setup: {exc}") from None
    return ChainSetup(
        owner=owner.user,
        service=service.user,
        separate_roles=separate,
        append_only_tables=(events, chain, snapshots),
    )


def _create_log_tables(owner_settings: Settings) -> None:
    env = Environment(name=RectifyApp.name, env=eventsourcing_env(owner_settings))
    factory = InfrastructureFactory.construct(env)
    try:
        factory.application_recorder()
        factory.aggregate_recorder("snapshots")
    finally:
        factory.close()


def _service_grants(role: str, tables: tuple[str, ...]) -> list[Composed]:
    service = Identifier(role)
    schema = Identifier(SCHEMA)
    statements = [SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(schema, service)]
    for table in tables:
        target = Identifier(SCHEMA, table)
        statements += [
            SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(target, service),
            SQL("GRANT SELECT, INSERT ON {} TO {}").format(target, service),
        ]
    sequence = Identifier(SCHEMA, f"{tables[0]}_notification_id_seq")
    statements += [
        SQL("REVOKE ALL ON SEQUENCE {} FROM PUBLIC, {}").format(sequence, service),
        SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sequence, service),
    ]
    return statements
