"""Milestone compliance for the progress view and the accountability records.

The milestone facts live on each office's ``OfficeRecord`` (a handful of aggregates, one
per office, read by their derived ids); the statuses are the pure domain rule applied to
today's date. ``missed_by_office`` is what a progress light needs: an office with a missed
milestone (outstanding, or done late) is lagging (工作明显滞后).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from application.office_work import OfficeWork
from domain.milestones import MilestoneStatus, campaign_milestones


def milestone_statuses(
    app: OfficeWork, *, offices: frozenset[str] | None, today: date | None = None
) -> list[MilestoneStatus]:
    """Every office's milestones as of ``today`` (the app's clock), within ``offices``."""
    acts = app.milestone_acts()
    statuses = campaign_milestones(app.campaign, acts=acts, today=today or app.today())
    return [s for s in statuses if offices is None or s.office in offices]


def missed_by_office(statuses: Iterable[MilestoneStatus]) -> dict[str, list[str]]:
    """office → the codes of the milestones it missed, in calendar order."""
    missed: dict[str, list[str]] = {}
    for status in statuses:
        if status.missed:
            missed.setdefault(status.office, []).append(status.code)
    return missed


def accountability_ids(statuses: Iterable[MilestoneStatus]) -> list[str]:
    """The record ids a notice takes for missed milestones: ``lagging:<office>:<code>``."""
    return [f"lagging:{s.office}:{s.code}" for s in statuses if s.missed]
