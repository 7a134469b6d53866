"""The composition root: settings in, a wired application out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any
from uuid import UUID

from application.accounts import SignInRule
from application.ports import Clock, SystemClock
from application.service import RectifyApp
from domain.campaign import Campaign
from infrastructure.blobstore import BlobStore, DirectoryBlobStore, TableBlobStore
from infrastructure.campaign_file import load_campaign
from infrastructure.credentials import SqlCredentials
from infrastructure.database import DatabaseUrl, SideDatabase, eventsourcing_env
from infrastructure.documents import attach_paperwork
from infrastructure.event_positions import StorePositions
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.projection_setup import build_read_models
from infrastructure.settings import Settings
from infrastructure.tokens import SqlApiTokens
from projections.queries import ReadModels


@dataclass
class Container:
    settings: Settings
    campaign: Campaign
    clock: Clock
    db: SideDatabase
    credentials: SqlCredentials
    app: RectifyApp
    api_tokens: SqlApiTokens
    blobs: BlobStore
    projections: ProjectionHost
    read_models: ReadModels

    def keep_evidence(
        self, data: bytes, *, media_type: str, file_name: str, account_id: UUID
    ) -> dict[str, Any]:
        """Store an evidence file and answer the reference an event cites."""
        upload = self.blobs.upload(
            data, media_type=media_type, file_name=file_name, account_id=account_id
        )
        return {
            "file_name": upload.file_name,
            "media_type": upload.blob.media_type,
            "size": upload.blob.size,
            "sha256": upload.blob.sha256,
        }

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
    api_tokens = SqlApiTokens(db)
    api_tokens.create_tables()
    blobs = build_blob_store(settings, db)
    blobs.create_tables()
    app = RectifyApp(
        env, campaign=campaign, credentials=credentials, clock=clock, api_tokens=api_tokens
    )
    app.event_positions = StorePositions(app.recorder)
    app.sign_in_rule = SignInRule(
        max_failures=settings.sign_in_max_failures,
        pause=timedelta(minutes=settings.sign_in_pause_minutes),
    )
    projections, read_models = build_read_models(
        app, db, settings=settings, campaign=campaign, clock=clock
    )

    attach_paperwork(app, db)
    return Container(
        settings=settings,
        campaign=campaign,
        clock=clock,
        db=db,
        credentials=credentials,
        app=app,
        api_tokens=api_tokens,
        blobs=blobs,
        projections=projections,
        read_models=read_models,
    )


def build_blob_store(settings: Settings, db: SideDatabase) -> BlobStore:
    """Evidence bytes in a PostgreSQL table in production, in a directory otherwise."""
    max_bytes, media_types = settings.evidence_max_bytes, settings.evidence_media_types
    if db.dialect == "postgres":
        return TableBlobStore(db, max_bytes=max_bytes, media_types=media_types)
    return DirectoryBlobStore(
        db, root=settings.evidence_dir, max_bytes=max_bytes, media_types=media_types
    )
