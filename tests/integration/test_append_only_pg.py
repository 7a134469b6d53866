"""Append-only in PostgreSQL: ``rectify db init`` as an owner role, the service only appends.

The roles are real: an owner role that owns the database, a service role that the
application connects as, and the cluster's superuser for what only it may do.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import errors

from application.ports import FixedClock
from infrastructure.chain_verify import verify_chain_at
from tests.builders import World, build_world
from tests.integration.test_tamper_kit import run_rectify

pytestmark = pytest.mark.postgres

LOG_TABLES = ("rectify_events", "rectify_events_chain", "rectify_snapshots")
TRIGGERED = ("rectify_events", "rectify_events_chain")


@dataclass(frozen=True)
class Roles:
    superuser: str
    owner: str
    service: str
    owner_name: str
    service_name: str


def as_role(url: str, role: str) -> str:
    return url.replace("postgres@", f"{role}@", 1)


def run(sql: str, url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql.encode())
        return list(cur.fetchall()) if cur.description else []


def db_init(roles: Roles, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_rectify(
        "db",
        "init",
        cwd=tmp_path,
        RECTIFY_DATABASE_URL=roles.service,
        RECTIFY_OWNER_DATABASE_URL=roles.owner,
    )


@pytest.fixture
def roles(pg_url: str, tmp_path: Path) -> Roles:
    suffix = uuid4().hex[:8]
    owner, service = f"rectify_owner_{suffix}", f"rectify_service_{suffix}"
    dbname = pg_url.rsplit("/", 1)[1]
    run(f'CREATE ROLE "{owner}" LOGIN', pg_url)
    run(f'CREATE ROLE "{service}" LOGIN', pg_url)
    run(f'ALTER DATABASE "{dbname}" OWNER TO "{owner}"', pg_url)
    made = Roles(pg_url, as_role(pg_url, owner), as_role(pg_url, service), owner, service)
    done = db_init(made, tmp_path)
    assert done.returncode == 0, done.stderr
    return made


@pytest.fixture
def service_world(roles: Roles, clock: FixedClock) -> Iterator[World]:
    world = build_world(roles.service, clock)
    world.approved_item()
    yield world
    world.container.close()


def test_db_init_leaves_the_log_owned_by_the_owner(roles: Roles) -> None:
    owners = run(
        "SELECT tablename, tableowner FROM pg_tables WHERE tablename IN "
        f"{LOG_TABLES!r} ORDER BY tablename",
        roles.superuser,
    )
    assert owners == [(table, roles.owner_name) for table in sorted(LOG_TABLES)]


def test_the_service_role_holds_only_select_and_insert_on_the_log(roles: Roles) -> None:
    for table in LOG_TABLES:
        held = [
            privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES")
            if run(
                f"SELECT has_table_privilege('{roles.service_name}', '{table}', '{privilege}')",
                roles.superuser,
            )[0][0]
        ]
        assert held == ["SELECT", "INSERT"], table


def test_the_service_role_appends_and_the_chain_verifies(service_world: World) -> None:
    result = verify_chain_at(service_world.container.settings.database_url)
    assert result.ok, result.summary()
    assert result.events > 30


@pytest.mark.parametrize("table", LOG_TABLES)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {} SET topic = topic", "DELETE FROM {}", "TRUNCATE {}"],
    ids=["update", "delete", "truncate"],
)
def test_the_service_roles_update_delete_and_truncate_are_refused(
    service_world: World, roles: Roles, table: str, statement: str
) -> None:
    if table == "rectify_events_chain":
        statement = statement.replace("topic = topic", "hash = hash")
    with pytest.raises(errors.InsufficientPrivilege):
        run(statement.format(table), roles.service)


def test_the_service_role_cannot_switch_the_triggers_off(roles: Roles) -> None:
    for table in TRIGGERED:
        with pytest.raises(errors.InsufficientPrivilege):
            run(f"ALTER TABLE {table} DISABLE TRIGGER USER", roles.service)


@pytest.mark.parametrize("table", TRIGGERED)
def test_the_triggers_refuse_the_owner_too_even_in_replica_mode(
    service_world: World, roles: Roles, table: str
) -> None:
    for url in (roles.owner, roles.superuser):
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            run(f"DELETE FROM {table}", url)
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            run(f"TRUNCATE {table}", url)
    with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
        run(f"SET session_replication_role = replica; DELETE FROM {table}", roles.superuser)


def test_db_init_switches_back_on_triggers_the_owner_switched_off(
    roles: Roles, tmp_path: Path
) -> None:
    for table in TRIGGERED:
        run(f"ALTER TABLE {table} DISABLE TRIGGER USER", roles.owner)
    done = db_init(roles, tmp_path)
    assert done.returncode == 0, done.stderr
    enabled = run(
        "SELECT tgrelid::regclass::text, tgenabled FROM pg_trigger "
        "WHERE NOT tgisinternal ORDER BY 1",
        roles.superuser,
    )
    assert enabled == [(table, "A") for table in TRIGGERED]


def test_db_init_says_which_roles_it_set_up(roles: Roles, tmp_path: Path) -> None:
    done = db_init(roles, tmp_path)
    assert roles.owner_name in done.stdout
    assert roles.service_name in done.stdout
    assert "database ready" in done.stdout


def test_an_auditors_read_only_role_can_run_verify(
    service_world: World, roles: Roles, tmp_path: Path
) -> None:
    auditor = f"rectify_audit_{uuid4().hex[:8]}"
    run(f'CREATE ROLE "{auditor}" LOGIN', roles.superuser)
    run(
        f'GRANT SELECT ON rectify_events, rectify_events_chain, rectify_evidence TO "{auditor}"',
        roles.superuser,
    )
    done = run_rectify(
        "verify", cwd=tmp_path, RECTIFY_DATABASE_URL=as_role(roles.superuser, auditor)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok:" in done.stdout
    with pytest.raises(errors.InsufficientPrivilege):
        run(
            "INSERT INTO rectify_events_chain VALUES (0, NULL, ''::bytea)",
            as_role(roles.superuser, auditor),
        )
