"""The one Settings object: every RECTIFY_* environment variable, validated once."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure.demo_calendar import (
    DEFAULT_DATABASE_URL,
    DEMO_CAMPAIGN_FILE,
    demo_calendar_applies,
)

DEV_SECRET = "dev-only-secret-change-me-in-production"  # noqa: S105 - refused in prod
MIN_SECRET_LENGTH = 32


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RECTIFY_", extra="ignore", frozen=True)

    env: Literal["dev", "prod"] = "dev"
    database_url: str = DEFAULT_DATABASE_URL
    owner_database_url: str | None = None  # `rectify db init` creates the log as this role
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    campaign_file: Path | None = None
    timezone: str = "Asia/Shanghai"
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    pool_size: int = Field(default=5, ge=1, le=100)
    pool_max_overflow: int = Field(default=10, ge=0, le=100)
    connect_timeout: int = Field(default=5, ge=1, le=60)
    lock_timeout: int = Field(default=5, ge=1, le=300)
    # Aggregates kept in memory per process (0: none); each read catches up from the log.
    aggregate_cache_size: int = Field(default=5000, ge=0, le=1_000_000)
    group_commit_max_events: int = Field(default=1000, ge=0, le=100_000)  # 0: off
    # `rectify projections run` on PostgreSQL catches up a backlog of at least this many
    # events with the views spread over this many processes (then follows in one).
    projection_processes: int = Field(default=2, ge=1, le=16)
    projection_spread_events: int = Field(default=100_000, ge=1)
    # `rectify verify` on PostgreSQL walks a log of at least this many events in this many
    # processes, taking its ranges in turn, in one snapshot (1: one process).
    verify_processes: int = Field(default=2, ge=1, le=16)
    verify_spread_events: int = Field(default=200_000, ge=1)
    yellow_days: int = Field(default=10, ge=0, le=365)
    # HTTP API and authentication
    jwt_issuer: str = "rectify"
    jwt_audience: str = "rectify-api"
    access_token_minutes: int = Field(default=60, ge=1, le=24 * 60)
    rate_limit_per_minute: int = Field(default=600, ge=1)
    # Wrong passwords in a row that pause an account's sign-in, and for how many minutes.
    sign_in_max_failures: int = Field(default=5, ge=1, le=1000)
    sign_in_pause_minutes: int = Field(default=15, ge=1, le=24 * 60)
    workers: int = Field(default=4, ge=1, le=64)  # uvicorn processes in prod (dev runs one)
    read_your_writes_seconds: float = Field(default=2.0, ge=0, le=30)
    max_page_size: int = Field(default=200, ge=1, le=5000)
    # Evidence files
    evidence_dir: Path = Path("var/evidence")
    evidence_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    evidence_media_types: tuple[str, ...] = (
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    )
    # Audit trail
    signing_key_file: Path | None = None
    backdate_days: int = Field(default=7, ge=0, le=365)

    @model_validator(mode="before")
    @classmethod
    def _demo_calendar(cls, data: Any) -> Any:
        """In dev on the default database, the calendar the demo wrote when it loaded there
        (``infrastructure.demo_calendar``), unless a campaign file is named."""
        if not isinstance(data, dict) or data.get("campaign_file"):
            return data
        env, url = data.get("env", "dev"), data.get("database_url", DEFAULT_DATABASE_URL)
        if demo_calendar_applies(env, url, None) and DEMO_CAMPAIGN_FILE.is_file():
            return {**data, "campaign_file": DEMO_CAMPAIGN_FILE}
        return data

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://", "memory:")):
            raise ValueError("must start with sqlite:///, postgresql:// or memory:")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("campaign_file")
    @classmethod
    def _campaign_file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @model_validator(mode="after")
    def _no_default_secret_in_prod(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.env == "prod" and (secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH):
            raise ValueError(
                f"RECTIFY_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters when RECTIFY_ENV=prod"
            )
        return self


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; a bad value raises SettingsError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = (
                "RECTIFY_" + "_".join(str(p) for p in error["loc"]).upper() if error["loc"] else ""
            )
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name or 'settings'}: {message}")
        raise SettingsError("; ".join(lines)) from None
