"""Every audit-log summary is a Chinese sentence: no event type, command or code leaks into it.

The walk covers every event of every aggregate in ``domain/`` and every command name the
application runs (a request sent with an ``Idempotency-Key`` records its command's name), so
a new event without a sentence, or a new command without a label, fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate
from structlog.testing import capture_logs

import application
import domain
from application.policy import POLICY
from domain.campaign import Campaign
from domain.command_record import CommandRecord
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, ROLES, SOURCES
from infrastructure.campaign_file import load_campaign
from projections.summaries import summarize

IDENTIFIER = re.compile(r"[A-Za-z_]{4,}")
SUBJECT = "全面清查并补登台账"
CATEGORY = next(iter(CATEGORIES))

# Fields whose value is a code the summary must translate: a real code of each kind.
CODES: dict[str, Any] = {
    "office": "bj",
    "unit": "bj",
    "role": next(iter(ROLES)),
    "category": CATEGORY,
    "subtype": next(iter(CATEGORIES[CATEGORY][1])),
    "source": next(iter(SOURCES)),
    "measure_type": next(iter(MEASURE_TYPES)),
    "involves": next(iter(INVOLVES)),
    "method": "password",
    "command": "find_issue",
    "head_hash": "0123456789" * 6 + "0123",
    "sha256": "9876543210" * 6 + "9876",
}


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(None, timezone="Asia/Shanghai", this_year=2026)


def _sample(type_name: str) -> Any:
    """A plausible value of a field declared as ``type_name`` (free text is Chinese)."""
    if type_name.startswith("dict"):
        return {"name": "张三", "phone": "13800000000"}
    if type_name.startswith("list"):
        return []
    samples: dict[str, Any] = {
        "str": "情况说明",
        "int": 3,
        "bool": True,
        "date": date(2026, 5, 1),
        "datetime": datetime(2026, 5, 1, tzinfo=UTC),
    }
    return samples.get(type_name, uuid4())  # UUID and UUID | None


def _event(cls: type[Any], **values: Any) -> Any:
    fields = {f.name: CODES.get(f.name, _sample(str(f.type))) for f in dataclasses.fields(cls)}
    fields["originator_topic"] = "domain:Aggregate"
    kwargs = {k: v for k, v in {**fields, **values}.items() if k in _names(cls)}
    return cls(**kwargs)


def _names(cls: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _aggregates() -> list[type[Aggregate[Any]]]:
    found = []
    for module in pkgutil.iter_modules(domain.__path__):
        loaded = importlib.import_module(f"domain.{module.name}")
        for value in vars(loaded).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Aggregate)
                and value.__module__ == loaded.__name__
            ):
                found.append(value)
    # A base other aggregates build on (RecordedAggregate) is never stored itself.
    return [a for a in found if not any(b is not a and issubclass(b, a) for b in found)]


def _events(aggregate: type[Aggregate[Any]]) -> list[type[Any]]:
    """The events an aggregate records: its own event classes but the library's bases
    (``Event``; ``Created`` when ``__init__`` names its own creation event)."""
    own = [
        v
        for k, v in vars(aggregate).items()
        if inspect.isclass(v) and issubclass(v, CanMutateAggregate) and k != "Event"
    ]
    creations = [e for e in own if "originator_topic" in _names(e)]
    return [e for e in own if not (e.__name__ == "Created" and len(creations) > 1)]


EVENTS = [event for aggregate in _aggregates() for event in _events(aggregate)]


def _command_names() -> set[str]:
    """Every command the application authorizes or runs: the policy's table, and each
    ``(caller, "name", ...)`` call in ``application/`` (what ``execute`` records)."""
    names = set(POLICY)
    for path in Path(application.__path__[0]).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "caller"
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                names.add(node.args[1].value)
    return names


COMMAND_NAMES = sorted(_command_names())


def _summary(event: Any, campaign: Campaign) -> str:
    with capture_logs() as logs:
        text = summarize(event, SUBJECT, campaign)
    assert logs == [], f"no sentence for {type(event).__qualname__}: {logs}"
    return text


def test_the_walk_finds_the_events_and_commands_it_guards() -> None:
    names = {e.__qualname__ for e in EVENTS}

    assert {"Issue.Found", "AuditDigest.DigestIssued", "CommandRecord.Recorded"} <= names
    assert "RecordedAggregate.Created" not in names
    assert {"import_self_inspection", "decide_approval", "issue_digest"} <= set(COMMAND_NAMES)


@pytest.mark.parametrize("event_class", EVENTS, ids=lambda e: e.__qualname__)
def test_every_event_has_its_own_chinese_summary(
    event_class: type[Any], campaign: Campaign
) -> None:
    text = _summary(_event(event_class), campaign)

    assert text
    assert IDENTIFIER.findall(text) == [], text


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_a_recorded_request_names_its_command_in_chinese(command: str, campaign: Campaign) -> None:
    text = _summary(_event(CommandRecord.Recorded, command=command), campaign)

    assert IDENTIFIER.findall(text) == [], text


def test_a_digest_summary_gives_its_position_and_event_count(campaign: Campaign) -> None:
    digest = _event(
        next(e for e in EVENTS if e.__qualname__ == "AuditDigest.DigestIssued"),
        position=120,
        events=118,
    )

    text = _summary(digest, campaign)

    assert text == "签发审计摘要：截至链头位置120，共118条事件（链头哈希 012345678901…）"


def test_a_request_recorded_under_an_unknown_command_still_reads_as_chinese(
    campaign: Campaign,
) -> None:
    event = _event(CommandRecord.Recorded, command="retired_command")

    with capture_logs() as logs:
        text = summarize(event, SUBJECT, campaign)

    assert text == "记录「其他操作」请求的结果，重试时原样返回"
    assert [entry["event"] for entry in logs] == ["audit_command_unlabelled"]
