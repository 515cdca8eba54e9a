"""Agents and alerts API through ASGI, and the agent gauges on /metrics (real SQLite and Temporal).

The API needs credentials: the tests create API keys straight in the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.agent_stats import AgentStatsSnapshot
from hive_core.auth import create_api_key
from hive_core.config import parse_cluster_config
from hive_core.config.models import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.host_telemetry.models import GpuReading, HostTelemetry
from hive_core.monitoring.payloads import AgentProbe, ProbeOutcome
from hive_core.monitoring.recorder import record_health
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings

CLUSTER = parse_cluster_config(
    {
        "agents": {"walnut": {"endpoint": "http://walnut:11434", "models": ["llama3.2", "qwen3:8b"]}},
        "monitoring": {"alert_thresholds": {"gpu_usage": 90}},
    }
)
HOT_GPU = GpuReading(
    index=0,
    name="RTX 4090",
    utilization_percent=97,
    memory_used_bytes=20_000_000_000,
    memory_total_bytes=24_000_000_000,
    temperature_celsius=71,
    power_watts=380.5,
)


@asynccontextmanager
async def api_client(app: FastAPI, key: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """An ASGI client of ``app`` (lifespan running) that sends ``key`` as ``X-API-Key``."""
    headers = {"X-API-Key": key} if key else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hive", headers=headers) as http:
            yield http


async def new_key(settings: HiveSettings, role: UserRole = UserRole.OPERATOR, name: str = "ops") -> str:
    """An API key of ``role`` named ``name``, created in the (migrated) database; returns its secret."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            return (await create_api_key(session, name=name, role=role)).secret
    finally:
        await engine.dispose()


async def _settings(tmp_path: Path, temporal_env: WorkflowEnvironment) -> HiveSettings:
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=temporal_env.client.service_client.config.target_host),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"),
    )
    await upgrade_database_async(settings.database_url)
    return settings


async def store_check(settings: HiveSettings, cluster: ClusterConfig, outcomes: list[ProbeOutcome]) -> None:
    """One health check's results, stored by the real recorder (what the workflow's activity does)."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await record_health(session, cluster, outcomes, datetime.now(UTC))
    finally:
        await engine.dispose()


def walnut_probe() -> ProbeOutcome:
    return ProbeOutcome(
        agent_id="walnut",
        probe=AgentProbe(
            agent_id="walnut",
            worker_hostname="walnut",
            ollama_ok=True,
            ollama_version="0.12.6",
            models_available=["llama3.2:latest", "qwen3:8b"],
            models_loaded=["llama3.2:latest"],
            round_trip_s=0.012,
            stats=AgentStatsSnapshot(in_flight=1, completed=5, tokens_per_second=42.5),
            telemetry_source="agent_host",
            host=HostTelemetry(
                hostname="walnut", cpu_percent=35.5, memory_percent=61.0, gpus=[HOT_GPU], gpu_source="nvml"
            ),
        ),
    )


async def test_registry_endpoints(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    settings = await _settings(tmp_path, temporal_env)
    async with api_client(create_app(settings, CLUSTER), await new_key(settings)) as http:
        created = await http.post(
            "/api/agents",
            json={"id": "oak", "endpoint": "http://oak:11434/", "model": "mistral", "max_concurrent": 4},
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["agent"]["name"] == "oak" and body["agent"]["models"] == ["mistral:latest"]
        assert body["agent"]["endpoint"] == "http://oak:11434"
        assert (body["source"], body["live"]["status"]) == ("api", "unknown")

        again = await http.post("/api/agents", json={"id": "oak", "endpoint": "http://x:1", "model": "m"})
        assert again.status_code == 409 and again.json()["error"]["type"] == "ConflictError"
        shadow = await http.post("/api/agents", json={"id": "walnut", "endpoint": "http://x:1", "model": "m"})
        assert shadow.status_code == 409 and "hive.yaml" in shadow.json()["error"]["message"]

        invalid = await http.post(
            "/api/agents", json={"id": "Bad Id", "endpoint": "ftp://x", "models": [], "gpu": 1}
        )
        assert invalid.status_code == 422
        error = invalid.json()["error"]
        assert error["type"] == "ValidationError"
        assert {e["field"] for e in error["errors"]} == {"id", "endpoint", "models", "gpu"}
        assert "gpu: unknown field" in error["message"]

        listed = (await http.get("/api/agents")).json()
        assert [(v["agent"]["id"], v["source"]) for v in listed] == [("walnut", "config"), ("oak", "api")]
        assert (await http.get("/api/agents/oak")).json()["agent"]["max_concurrent"] == 4
        missing = await http.get("/api/agents/nope")
        assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFoundError"

        from_config = await http.delete("/api/agents/walnut")
        assert from_config.status_code == 409 and "hive.yaml" in from_config.json()["error"]["message"]
        assert (await http.delete("/api/agents/oak")).status_code == 204
        assert (await http.delete("/api/agents/oak")).status_code == 404
        assert [v["agent"]["id"] for v in (await http.get("/api/agents")).json()] == ["walnut"]


async def test_live_state_alerts_and_gauges(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    settings = await _settings(tmp_path, temporal_env)
    app = create_app(settings, CLUSTER)
    async with api_client(app, await new_key(settings)) as http:
        assert (
            await http.post("/api/agents", json={"id": "oak", "endpoint": "http://oak:1", "model": "m"})
        ).status_code == 201
        await store_check(
            settings, CLUSTER, [walnut_probe(), ProbeOutcome(agent_id="oak", error="no worker")]
        )

        walnut = (await http.get("/api/agents/walnut")).json()["live"]
        assert walnut["status"] == "up"
        assert walnut["models_loaded"] == ["llama3.2:latest"]
        assert (walnut["in_flight"], walnut["tokens_per_second"]) == (1, 42.5)
        assert (walnut["cpu_percent"], walnut["memory_percent"]) == (35.5, 61.0)
        assert walnut["gpus"][0]["name"] == "RTX 4090" and walnut["last_seen_at"]
        oak = (await http.get("/api/agents/oak")).json()["live"]
        assert (oak["status"], oak["last_seen_at"], oak["error"]) == ("down", None, "no worker")

        alerts = (await http.get("/api/alerts", params={"state": "open"})).json()
        assert {(a["agent_id"], a["type"], a["severity"]) for a in alerts} == {
            ("walnut", "gpu_usage", "warning"),
            ("oak", "agent_down", "critical"),
        }
        critical = (await http.get("/api/alerts", params={"severity": "critical"})).json()
        assert [a["agent_id"] for a in critical] == ["oak"]
        assert [a["type"] for a in (await http.get("/api/alerts", params={"agent": "walnut"})).json()] == [
            "gpu_usage"
        ]
        assert (await http.get("/api/alerts", params={"state": "bogus"})).status_code == 422

        # The acknowledgement records the caller (a service key: "key:<name>"), not a body field.
        ack = await http.post(f"/api/alerts/{critical[0]['id']}/acknowledge", json={"by": "someone else"})
        assert ack.status_code == 200
        assert ack.json()["acknowledged_by"] == "key:ops" and ack.json()["acknowledged_at"]
        assert (await http.post("/api/alerts/nope/acknowledge")).status_code == 404

        text = (await http.get("/metrics")).text
        for line in (
            'hive_agent_up{agent="walnut"} 1.0',
            'hive_agent_up{agent="oak"} 0.0',
            'hive_agent_tokens_per_second{agent="walnut"} 42.5',
            'hive_agent_in_flight{agent="walnut"} 1.0',
            'hive_agent_cpu_percent{agent="walnut"} 35.5',
            'hive_agent_memory_percent{agent="walnut"} 61.0',
            'hive_agent_gpu_utilization_percent{agent="walnut",gpu="0",name="RTX 4090"} 97.0',
            'hive_agent_gpu_memory_used_bytes{agent="walnut",gpu="0",name="RTX 4090"} 2e+10',
            'hive_agent_gpu_temperature_celsius{agent="walnut",gpu="0",name="RTX 4090"} 71.0',
            'hive_alerts_open{severity="critical"} 1.0',
            'hive_alerts_open{severity="warning"} 1.0',
            "hive_alerts_opened_total 2.0",
        ):
            assert line in text, f"{line!r} not in /metrics"

        # The agent comes back: its alert resolves, and the gauges follow (after the cache's ttl).
        app.state.hive.metrics.agents.ttl_s = 0
        await store_check(
            settings, CLUSTER, [walnut_probe(), walnut_probe().model_copy(update={"agent_id": "oak"})]
        )
        text = (await http.get("/metrics")).text
        assert 'hive_agent_up{agent="oak"} 1.0' in text
        assert 'hive_alerts_open{severity="critical"} 0.0' in text
        resolved = (await http.get("/api/alerts", params={"state": "resolved"})).json()
        assert [(a["agent_id"], a["resolved"]) for a in resolved] == [("oak", True)]


async def test_alert_of_a_removed_agent_resolves(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    settings = await _settings(tmp_path, temporal_env)
    async with api_client(create_app(settings, CLUSTER), await new_key(settings)) as http:
        pine = {"id": "pine", "endpoint": "http://pine:1", "model": "m"}
        assert (await http.post("/api/agents", json=pine)).status_code == 201
        await store_check(settings, CLUSTER, [ProbeOutcome(agent_id="pine", error="no worker")])
        assert [a["agent_id"] for a in (await http.get("/api/alerts", params={"state": "open"})).json()] == [
            "pine"
        ]
        assert (await http.delete("/api/agents/pine")).status_code == 204
        await store_check(settings, CLUSTER, [walnut_probe()])
        assert [a["type"] for a in (await http.get("/api/alerts", params={"state": "open"})).json()] == [
            "gpu_usage"
        ]
        [old] = (await http.get("/api/alerts", params={"agent": "pine"})).json()
        assert old["resolved"] and old["type"] == "agent_down"
