"""The agent registry: agents of ``hive.yaml`` plus agents registered through the API.

Both live in the ``agents`` table (``source`` config or api) because metrics and alerts refer to
it; ``hive.yaml`` stays the truth for its own agents, which are upserted from it and cannot be
deleted through the API. Columns the table lacks are kept in ``hardware_config``: the hardware
fields themselves plus ``performance_targets``; ``enabled: false`` is the ``disabled`` status.
"""

from __future__ import annotations

from typing import Any

import pydantic
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.config.models import AgentConfig, ClusterConfig, Hardware, PerformanceTargets
from hive_core.db.models import Agent, AgentSource, AgentStatus
from hive_core.errors import ConflictError, NotFoundError, ValidationError

PERFORMANCE_TARGETS_KEY = "performance_targets"


def parse_agent(data: Any) -> AgentConfig:
    """Validate a registration body (``hive.yaml``'s agent fields plus ``id``); ``name`` defaults to the id.

    Raises:
        ValidationError: naming each field at fault.
    """
    if not isinstance(data, dict):
        raise ValidationError("an agent must be a JSON object")
    if isinstance(data.get("id"), str) and "name" not in data:
        data = {**data, "name": data["id"]}
    try:
        return AgentConfig.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = [
            {
                "field": ".".join(str(part) for part in item["loc"]) or "(body)",
                "message": "unknown field"
                if item["type"] == "extra_forbidden"
                else item["msg"].removeprefix("Value error, "),
            }
            for item in exc.errors(include_url=False)
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise ValidationError(f"invalid agent: {summary}", errors=problems) from None


def agent_from_row(row: Agent) -> AgentConfig:
    """The `AgentConfig` a registry row describes."""
    hardware = dict(row.hardware_config or {})
    targets = hardware.pop(PERFORMANCE_TARGETS_KEY, None) or {}
    return AgentConfig(
        id=row.id,
        name=row.name,
        endpoint=row.endpoint,
        models=list(row.models),
        specialization=row.specialization,
        capabilities=list(row.capabilities or []),
        hardware=Hardware.model_validate(hardware),
        performance_targets=PerformanceTargets.model_validate(targets),
        max_concurrent=row.max_concurrent,
        enabled=row.status != AgentStatus.DISABLED,
    )


def _apply(row: Agent, agent: AgentConfig) -> None:
    row.name = agent.name
    row.endpoint = agent.endpoint
    row.models = list(agent.models)
    row.specialization = agent.specialization
    row.capabilities = list(agent.capabilities)
    row.hardware_config = {
        **agent.hardware.model_dump(exclude_none=True),
        PERFORMANCE_TARGETS_KEY: agent.performance_targets.model_dump(exclude_none=True),
    }
    row.max_concurrent = agent.max_concurrent
    if not agent.enabled:
        row.status = AgentStatus.DISABLED
    elif row.status in (None, AgentStatus.DISABLED):
        row.status = AgentStatus.UNKNOWN


async def sync_config_agents(session: AsyncSession, cluster: ClusterConfig) -> None:
    """Upsert the agents of ``hive.yaml`` into the table (their live status is left alone)."""
    rows = {row.id: row for row in await session.scalars(select(Agent).where(Agent.id.in_(cluster.agents)))}
    for agent in cluster.agents.values():
        row = rows.get(agent.id)
        if row is None:
            row = Agent(id=agent.id, source=AgentSource.CONFIG, status=AgentStatus.UNKNOWN)
            session.add(row)
        row.source = AgentSource.CONFIG
        _apply(row, agent)
    await session.flush()


async def registered_agents(session: AsyncSession, cluster: ClusterConfig) -> list[AgentConfig]:
    """Agents registered through the API (not shadowed by a ``hive.yaml`` agent of the same id)."""
    rows = await session.scalars(select(Agent).where(Agent.source == AgentSource.API).order_by(Agent.id))
    return [agent_from_row(row) for row in rows if row.id not in cluster.agents]


async def all_agents(session: AsyncSession, cluster: ClusterConfig) -> list[tuple[AgentConfig, AgentSource]]:
    """Every known agent with where it comes from: ``hive.yaml``'s first, then registered ones."""
    agents = [(agent, AgentSource.CONFIG) for agent in cluster.agents.values()]
    agents += [(agent, AgentSource.API) for agent in await registered_agents(session, cluster)]
    return agents


async def find_agent(
    session: AsyncSession, cluster: ClusterConfig, agent_id: str
) -> tuple[AgentConfig, AgentSource]:
    """One agent by id.

    Raises:
        NotFoundError: neither ``hive.yaml`` nor the registry has it.
    """
    if agent_id in cluster.agents:
        return cluster.agents[agent_id], AgentSource.CONFIG
    row = await session.get(Agent, agent_id)
    if row is None or row.source != AgentSource.API:
        raise NotFoundError(f"no agent {agent_id!r}", agent_id=agent_id)
    return agent_from_row(row), AgentSource.API


async def register_agent(session: AsyncSession, cluster: ClusterConfig, agent: AgentConfig) -> Agent:
    """Add an agent to the registry.

    Raises:
        ConflictError: the id is taken (by ``hive.yaml`` or an earlier registration).
    """
    if agent.id in cluster.agents:
        raise ConflictError(f"agent {agent.id!r} is defined in hive.yaml", agent_id=agent.id)
    if await session.get(Agent, agent.id) is not None:
        raise ConflictError(f"agent {agent.id!r} already exists", agent_id=agent.id)
    row = Agent(id=agent.id, source=AgentSource.API, status=AgentStatus.UNKNOWN)
    _apply(row, agent)
    session.add(row)
    await session.flush()
    return row


async def delete_agent(session: AsyncSession, cluster: ClusterConfig, agent_id: str) -> None:
    """Remove a registered agent (its metrics go with it; its alerts stay as history).

    Raises:
        ConflictError: the agent is defined in ``hive.yaml`` (remove it there).
        NotFoundError: no such agent.
    """
    if agent_id in cluster.agents:
        raise ConflictError(
            f"agent {agent_id!r} is defined in hive.yaml; remove it from the file instead",
            agent_id=agent_id,
        )
    row = await session.get(Agent, agent_id)
    if row is None:
        raise NotFoundError(f"no agent {agent_id!r}", agent_id=agent_id)
    await session.delete(row)
    await session.flush()


__all__ = [
    "agent_from_row",
    "all_agents",
    "delete_agent",
    "find_agent",
    "parse_agent",
    "register_agent",
    "registered_agents",
    "sync_config_agents",
]
