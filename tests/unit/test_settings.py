"""Settings: a bad RECTIFY_* value stops start-up with a message naming the variable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infrastructure.settings import DEV_SECRET, SettingsError, load_settings

STRONG_SECRET = "k" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("RECTIFY_"):
            monkeypatch.delenv(name)


def test_the_defaults_are_a_development_setup_on_an_embedded_database() -> None:
    settings = load_settings()

    assert settings.env == "dev"
    assert settings.database_url.startswith("sqlite:///")


def test_values_come_from_rectify_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_PORT", "8123")
    monkeypatch.setenv("RECTIFY_DATABASE_URL", "postgresql://u@db:5432/rectify")

    settings = load_settings()

    assert settings.port == 8123
    assert settings.database_url == "postgresql://u@db:5432/rectify"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RECTIFY_ENV", "staging"),
        ("RECTIFY_DATABASE_URL", "mysql://root@localhost/rectify"),
        ("RECTIFY_PORT", "eighty"),
        ("RECTIFY_PORT", "70000"),
        ("RECTIFY_TIMEZONE", "Mars/Olympus_Mons"),
        ("RECTIFY_LOG_FORMAT", "xml"),
        ("RECTIFY_LOG_LEVEL", "loud"),
        ("RECTIFY_POOL_SIZE", "0"),
        ("RECTIFY_LOCK_TIMEOUT", "0"),
        ("RECTIFY_CONNECT_TIMEOUT", "soon"),
        ("RECTIFY_CAMPAIGN_FILE", "/nonexistent/campaign.json"),
        ("RECTIFY_PROJECTION_PROCESSES", "0"),
        ("RECTIFY_PROJECTION_SPREAD_EVENTS", "many"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError, match=variable):
        load_settings()


def test_every_bad_variable_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_PORT", "eighty")
    monkeypatch.setenv("RECTIFY_ENV", "staging")

    with pytest.raises(SettingsError) as refused:
        load_settings()

    assert "RECTIFY_PORT" in str(refused.value)
    assert "RECTIFY_ENV" in str(refused.value)


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_ENV", "prod")

    with pytest.raises(SettingsError, match="RECTIFY_SECRET_KEY"):
        load_settings()


@pytest.mark.parametrize("secret", [DEV_SECRET, "short-secret"], ids=["default", "short"])
def test_production_refuses_a_default_or_short_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("RECTIFY_ENV", "prod")
    monkeypatch.setenv("RECTIFY_SECRET_KEY", secret)

    with pytest.raises(SettingsError, match="RECTIFY_SECRET_KEY"):
        load_settings()


def test_production_starts_with_a_long_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_ENV", "prod")
    monkeypatch.setenv("RECTIFY_SECRET_KEY", STRONG_SECRET)

    settings = load_settings()

    assert settings.secret_key.get_secret_value() == STRONG_SECRET


def test_the_secret_is_not_shown_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_SECRET_KEY", STRONG_SECRET)

    assert STRONG_SECRET not in repr(load_settings())


def test_an_existing_campaign_file_is_accepted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    campaign = tmp_path / "campaign.json"
    campaign.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("RECTIFY_CAMPAIGN_FILE", str(campaign))

    assert load_settings().campaign_file == campaign
