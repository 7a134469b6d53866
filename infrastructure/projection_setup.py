"""Wiring the read models: the views, their host and the query interface over them."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from eventsourcing.application import Application

from application.ports import Clock
from domain.campaign import Campaign
from infrastructure.database import SideDatabase
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.settings import Settings
from projections.base import ViewContext
from projections.queries import ReadModels
from projections.registry import VIEWS, view_class
from projections.source import EventLog


def build_host(
    app: Application[UUID],
    db: SideDatabase,
    campaign: Campaign,
    *,
    names: Collection[str] | None = None,
    batch_size: int = 2000,
) -> ProjectionHost:
    """A host for the named views (all by default), their tables created."""
    log = EventLog(app, db)
    context = ViewContext(campaign)
    classes = VIEWS if not names else tuple(view_class(n) for n in names)
    views = [cls(cls.store(db, application_name=log.name), context=context) for cls in classes]
    host = ProjectionHost(log, db, views, batch_size=batch_size)
    host.create_tables()
    return host


def build_read_models(
    app: Application[UUID],
    db: SideDatabase,
    *,
    settings: Settings,
    campaign: Campaign,
    clock: Clock,
) -> tuple[ProjectionHost, ReadModels]:
    host = build_host(app, db, campaign)
    read_models = ReadModels(db, settings=settings, campaign=campaign, clock=clock, events=host.log)
    return host, read_models
