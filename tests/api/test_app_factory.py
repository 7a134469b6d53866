"""The factory `rectify serve` runs: it wires itself from the settings; in dev it runs the
read models in process, in prod it leaves them to `rectify projections run`."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import pytest

from api.http.app import create_app
from api.http.deps import Services
from infrastructure import heap
from infrastructure.settings import load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_the_factory_reads_the_environment_and_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECTIFY_DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite3'}")
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))

    app = create_app(load_settings())  # as `create_app()` does, less configuring the logs
    services: Services = app.state.services
    with TestClient(app) as client:
        running = services.container.projections.running
        ready = client.get("/readyz")

    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    assert running
    assert not services.container.projections.running


def test_in_prod_the_read_models_run_elsewhere(tmp_path: Path) -> None:
    settings = load_settings(
        env="prod",
        secret_key="x" * 40,
        database_url=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        evidence_dir=tmp_path / "evidence",
    )

    app = create_app(settings)
    services: Services = app.state.services
    with TestClient(app) as client:
        running = services.container.projections.running
        healthy = client.get("/healthz").status_code

    assert healthy == 200
    assert not running


def test_workers_are_a_validated_setting() -> None:
    assert load_settings(workers=8).workers == 8
    with pytest.raises(Exception, match="RECTIFY_WORKERS"):
        load_settings(workers=0)


def test_a_served_worker_settles_its_heap_once_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECTIFY_DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite3'}")
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setattr("api.http.app.configure_logging", lambda **_: None)  # keep pytest's
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        app = create_app()  # exactly what `rectify serve` runs in each worker
        frozen_before_start = gc.get_freeze_count()
        with TestClient(app) as client:
            ready = client.get("/readyz").status_code
            frozen, young = gc.get_freeze_count(), gc.get_threshold()[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)

    assert ready == 200
    assert frozen_before_start == 0
    assert frozen > 0
    assert young == heap.YOUNG_THRESHOLD


def test_an_app_given_its_settings_leaves_the_collector_alone(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'own.sqlite3'}")
    gc.unfreeze()
    with TestClient(create_app(settings)) as client:
        client.get("/healthz")
        frozen = gc.get_freeze_count()

    assert frozen == 0
