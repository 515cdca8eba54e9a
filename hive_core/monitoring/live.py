"""Each agent's live state: its definition joined with the newest health-check sample."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.config.models import AgentConfig, ClusterConfig
from hive_core.db.models import Agent, AgentMetric, AgentSource, AgentStatus
from hive_core.host_telemetry.models import GpuReading
from hive_core.monitoring.registry import all_agents, find_agent

LiveStatus = Literal["up", "down", "unknown", "disabled"]

_LIVE_STATUS: dict[AgentStatus, LiveStatus] = {
    AgentStatus.ONLINE: "up",
    AgentStatus.BUSY: "up",
    AgentStatus.OFFLINE: "down",
    AgentStatus.ERROR: "down",
    AgentStatus.UNKNOWN: "unknown",
    AgentStatus.DISABLED: "disabled",
}


class AgentLiveState(BaseModel):
    """What the newest health check saw (all None / empty before the first one)."""

    status: LiveStatus = "unknown"
    checked_at: datetime | None = None
    last_seen_at: datetime | None = None
    error: str | None = None
    ollama_version: str | None = None
    models_available: list[str] = []
    models_loaded: list[str] = []
    in_flight: int | None = None
    tokens_per_second: float | None = None
    round_trip_s: float | None = None
    # Where CPU / memory / GPU figures come from: "agent_host", or "remote" (none reported).
    telemetry_source: str | None = None
    cpu_percent: float | None = None
    memory_percent: float | None = None
    gpus: list[GpuReading] = []


class AgentView(BaseModel):
    """An agent as the API and ``hive agents`` show it."""

    agent: AgentConfig
    source: AgentSource
    live: AgentLiveState


async def latest_metrics(session: AsyncSession) -> dict[str, AgentMetric]:
    """The newest metrics row of every agent that has one."""
    newest = (
        select(AgentMetric.agent_id, func.max(AgentMetric.timestamp).label("at"))
        .group_by(AgentMetric.agent_id)
        .subquery()
    )
    rows = await session.scalars(
        select(AgentMetric).join(
            newest, (AgentMetric.agent_id == newest.c.agent_id) & (AgentMetric.timestamp == newest.c.at)
        )
    )
    return {row.agent_id: row for row in rows}


def live_state(row: Agent | None, metric: AgentMetric | None, enabled: bool = True) -> AgentLiveState:
    """Combine an agent's row (status, last seen) with its newest sample."""
    if not enabled:
        return AgentLiveState(status="disabled", last_seen_at=row.last_seen_at if row else None)
    state = AgentLiveState(
        status=_LIVE_STATUS.get(row.status, "unknown") if row else "unknown",
        last_seen_at=row.last_seen_at if row else None,
    )
    if metric is None:
        return state
    perf: dict[str, Any] = metric.performance_data or {}
    gpus = (metric.gpu_metrics or {}).get("gpus") or []
    return state.model_copy(
        update={
            "checked_at": metric.timestamp,
            "error": perf.get("error"),
            "ollama_version": perf.get("ollama_version"),
            "models_available": perf.get("models_available") or [],
            "models_loaded": perf.get("models_loaded") or [],
            "in_flight": perf.get("in_flight"),
            "tokens_per_second": perf.get("tokens_per_second"),
            "round_trip_s": perf.get("round_trip_s"),
            "telemetry_source": perf.get("telemetry_source"),
            "cpu_percent": metric.cpu_percent,
            "memory_percent": metric.memory_percent,
            "gpus": [GpuReading.model_validate(g) for g in gpus],
        }
    )


async def agent_views(session: AsyncSession, cluster: ClusterConfig) -> list[AgentView]:
    """Every agent (``hive.yaml``'s, then registered ones) with its live state."""
    agents = await all_agents(session, cluster)
    rows = {row.id: row for row in await session.scalars(select(Agent))}
    metrics = await latest_metrics(session)
    return [
        AgentView(
            agent=agent,
            source=source,
            live=live_state(rows.get(agent.id), metrics.get(agent.id), agent.enabled),
        )
        for agent, source in agents
    ]


async def agent_view(session: AsyncSession, cluster: ClusterConfig, agent_id: str) -> AgentView:
    """One agent with its live state (NotFoundError if neither ``hive.yaml`` nor the registry has it)."""
    agent, source = await find_agent(session, cluster, agent_id)
    metric = await session.scalar(
        select(AgentMetric)
        .where(AgentMetric.agent_id == agent_id)
        .order_by(AgentMetric.timestamp.desc())
        .limit(1)
    )
    live = live_state(await session.get(Agent, agent_id), metric, agent.enabled)
    return AgentView(agent=agent, source=source, live=live)


__all__ = [
    "AgentLiveState",
    "AgentView",
    "LiveStatus",
    "agent_view",
    "agent_views",
    "latest_metrics",
    "live_state",
]
