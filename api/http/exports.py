"""The rows an Excel sheet of a ledger holds: those its list's query selects, in its order.

An export runs the list's own query (``ReadModels.row_ids``: every page at once), so it
checks and applies every filter exactly as the list does, and a bad one is refused with the
list's ``InvalidInput``; the ledger folded from the log is then cut to those rows. Shared
by the API's sheets and the console's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

import structlog

from application.errors import NotFound, ReadModelsBehind
from application.ledger_scan import Ledger, LedgerIssue
from application.principal import Caller
from domain.campaign import Campaign
from infrastructure.container import Container

LEDGER_VIEWS = ("issue_ledger", "item_ledger")


def selected_ledger(
    container: Container,
    caller: Caller,
    *,
    rows: str,
    offices: frozenset[str] | None,
    as_of: datetime | None,
    filters: Mapping[str, Any],
    wait: bool = True,
) -> Ledger:
    """The ledger folded from the log, cut to the rows the list's query selects (``rows``:
    "issues" or "items"), in the list's order. A measure sheet whose filters look at no
    measure keeps the problems with no measure yet too (``shown_ledger``'s ``bare``).

    The list's query checks every filter: a bad one raises the ``InvalidInput`` naming it,
    as the list answers. Without ``as_of`` that query reads the views, so they are first
    let reach the log's head (bounded, as a write's answer waits) lest a sheet miss a row;
    ``wait=False`` for a caller that has caught them up itself (the command line).
    """
    if as_of is None and wait:
        _wait_for_ledgers(container)
    ids = container.read_models.row_ids(rows, offices=offices, as_of=as_of, **filters)
    ledger = container.app.ledger(caller, office=filters.get("office"), as_of=as_of)
    bare = rows == "items" and not looks_at_measures(filters)
    if bare:
        ledger = ledger.in_category(filters.get("category"))
    return shown_ledger(ledger, ids, rows=rows, bare=bare)


def _wait_for_ledgers(container: Container) -> None:
    """Let the ledger views reach the log's head (bounded, as a write's answer waits)."""
    head = container.app.recorder.max_notification_id()
    seconds = container.settings.read_your_writes_seconds
    if not container.projections.wait_for(head, seconds, views=LEDGER_VIEWS):
        structlog.get_logger("rectify.http").warning("export_views_behind", position=head)
        raise ReadModelsBehind(
            "the ledgers are still catching up with the latest records; "
            "export again in a few seconds"
        )


def looks_at_measures(filters: Mapping[str, Any]) -> bool:
    """Whether a measure list's filters select by more than the problem's office and
    category (a problem with no measure yet can match only filters that do not)."""
    return filters.get("overdue") is not None or any(
        filters.get(name) for name in ("status", "light", "q")
    )


def shown_ledger(ledger: Ledger, ids: Sequence[UUID], *, rows: str, bare: bool = False) -> Ledger:
    """The ledger cut to the selected rows, in their order: those problems (``rows="issues"``)
    or those measures under their problems, each problem where its first measure comes.

    ``bare``: keep the problems with no measure yet too (after the others), for a measure
    sheet whose filters look at no measure (the ledger already cut to their category).
    """
    rank = {row_id: n for n, row_id in enumerate(ids)}
    if rows == "issues":
        issues = sorted((i for i in ledger.issues if i.id in rank), key=lambda i: rank[i.id])
        return replace(ledger, issues=issues)
    kept: list[tuple[int, LedgerIssue]] = []
    for issue in ledger.issues:
        items = sorted((i for i in issue.items if i.id in rank), key=lambda i: rank[i.id])
        if items:
            kept.append((rank[items[0].id], replace(issue, items=tuple(items))))
        elif bare and not issue.items:
            kept.append((len(rank), issue))
    kept.sort(key=lambda pair: pair[0])
    return replace(ledger, issues=[issue for _, issue in kept])


def sheet_scope(
    campaign: Campaign, office: str | None, readable: frozenset[str] | None
) -> str | None:
    """What a sheet filtered to one office is titled by: that office, 含下属 when its
    sub-offices' rows are in it as the filter takes them (None: by the offices the sheet
    holds). An office the reader may not read answers 404, as its import template does: an
    empty sheet titled by it would read as that office's having no problems."""
    if office is None:
        return None
    if readable is not None and office not in readable:
        raise NotFound(f"office {office!r} is not in this account's scope", field="office")
    name = campaign.unit(office).name
    return f"{name}（含下属）" if len(campaign.subtree(office)) > 1 else name
