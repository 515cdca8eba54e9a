"""API skeleton through ASGI: liveness, readiness (real Temporal + SQLite), metrics, OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.config import ClusterConfig
from hive_core.db.migrate import upgrade_database_async
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hive") as http:
            yield http


def _settings(tmp_path: Path, temporal_address: str, database_url: str | None = None) -> HiveSettings:
    return HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=temporal_address, connect_timeout_s=2),
        database=DatabaseSettings(url=database_url),
    )


async def test_health_ready_metrics(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    settings = _settings(tmp_path, temporal_env.client.service_client.config.target_host)
    await upgrade_database_async(settings.database_url)
    async with api_client(create_app(settings, ClusterConfig())) as http:
        assert (await http.get("/health")).json() == {
            "status": "ok",
            "node_catalog": "n8n-nodes-base@1.121.53",
        }
        ready = await http.get("/ready")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "temporal": "ok", "database": "ok"}
        metrics = await http.get("/metrics")
        assert metrics.headers["content-type"].startswith("text/plain")
        assert 'hive_http_requests_total{method="GET",route="/ready",status="200"} 1.0' in metrics.text
        assert "process_resident_memory_bytes" in metrics.text
        spec = (await http.get("/openapi.json")).json()
        assert {"/health", "/ready", "/metrics"} <= set(spec["paths"])
        assert (await http.get("/docs")).status_code == 200


async def test_ready_is_503_when_temporal_is_down(tmp_path: Path) -> None:
    settings = _settings(tmp_path, f"127.0.0.1:{free_port()}")
    await upgrade_database_async(settings.database_url)
    async with api_client(create_app(settings, ClusterConfig())) as http:
        assert (await http.get("/health")).status_code == 200
        ready = await http.get("/ready")
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["database"] == "ok"
        assert body["temporal"].startswith("unreachable")


async def test_ready_is_503_when_database_is_down(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing"
    settings = _settings(tmp_path, temporal_env.client.service_client.config.target_host, url)
    async with api_client(create_app(settings, ClusterConfig())) as http:
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["temporal"] == "ok"
        assert ready.json()["database"].startswith("unreachable")
