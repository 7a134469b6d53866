"""The composition root: settings in, a wired application out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from application.ports import Clock, SystemClock
from application.service import RectifyApp
from domain.campaign import Campaign
from infrastructure.campaign_file import load_campaign
from infrastructure.credentials import SqlCredentials
from infrastructure.database import DatabaseUrl, SideDatabase, eventsourcing_env
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.projection_setup import build_read_models
from infrastructure.settings import Settings
from projections.queries import ReadModels


@dataclass
class Container:
    settings: Settings
    campaign: Campaign
    clock: Clock
    db: SideDatabase
    credentials: SqlCredentials
    app: RectifyApp
    projections: ProjectionHost
    read_models: ReadModels

    def close(self) -> None:
        self.projections.stop()
        self.app.close()
        self.db.close()


def build_container(settings: Settings, *, clock: Clock | None = None) -> Container:
    clock = clock or SystemClock()
    campaign = load_campaign(
        settings.campaign_file,
        timezone=settings.timezone,
        this_year=clock.now().astimezone(UTC).year,
    )
    env = eventsourcing_env(settings)
    db = SideDatabase(DatabaseUrl.parse(settings.database_url), settings)
    credentials = SqlCredentials(db)
    credentials.create_tables()
    app = RectifyApp(env, campaign=campaign, credentials=credentials, clock=clock)
    projections, read_models = build_read_models(
        app, db, settings=settings, campaign=campaign, clock=clock
    )
    return Container(
        settings=settings,
        campaign=campaign,
        clock=clock,
        db=db,
        credentials=credentials,
        app=app,
        projections=projections,
        read_models=read_models,
    )
