"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from infrastructure.settings import load_settings


def create_app() -> FastAPI:
    settings = load_settings()
    app = FastAPI(title="rectify 整改台账", version="0.1.0")
    app.state.settings = settings

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
