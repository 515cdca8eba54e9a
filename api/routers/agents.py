"""The agent registry: ``hive.yaml``'s agents plus registered ones, each with its live state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response, status

from api.auth import AUTH_RESPONSES, require
from api.deps import ClusterDep, SessionDep
from hive_core.auth import Permission, Principal, record_audit
from hive_core.monitoring.live import AgentView, agent_view, agent_views
from hive_core.monitoring.registry import delete_agent, parse_agent, register_agent

router = APIRouter(prefix="/api/agents", tags=["agents"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.AGENTS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.AGENTS_WRITE))]

_EXAMPLE = {
    "id": "walnut",
    "name": "Walnut",
    "endpoint": "http://walnut:11434",
    "models": ["llama3.2"],
    "capabilities": ["code"],
    "hardware": {"gpu_type": "RTX 4090", "vram_gb": 24},
    "max_concurrent": 2,
}


@router.get("", response_model=list[AgentView])
async def list_agents(_: Reader, session: SessionDep, cluster: ClusterDep) -> list[AgentView]:
    """Every agent (``hive.yaml``'s, then registered ones) with the newest health-check state."""
    return await agent_views(session, cluster)


@router.get("/{agent_id}", response_model=AgentView, responses={404: {"description": "no such agent"}})
async def get_agent(agent_id: str, _: Reader, session: SessionDep, cluster: ClusterDep) -> AgentView:
    """One agent with its live state."""
    return await agent_view(session, cluster, agent_id)


@router.post(
    "",
    response_model=AgentView,
    status_code=status.HTTP_201_CREATED,
    responses={
        409: {"description": "the id is taken (hive.yaml or the registry)"},
        422: {"description": "invalid agent; the error names each field at fault"},
    },
)
async def create_agent(
    principal: Writer,
    session: SessionDep,
    cluster: ClusterDep,
    # Validated by hand so that errors go through Hive's one error format, naming the fields.
    body: dict[str, Any] = Body(
        ..., description="the fields of an agent in hive.yaml, plus id", examples=[_EXAMPLE]
    ),
) -> AgentView:
    """Register an agent (its daemon is then started with ``hive worker --agent <id>``)."""
    agent = parse_agent(body)
    await register_agent(session, cluster, agent)
    record_audit(session, principal.actor, "create", "agent", agent.id, endpoint=agent.endpoint)
    await session.commit()
    return await agent_view(session, cluster, agent.id)


@router.delete(
    "/{agent_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "no such agent"}, 409: {"description": "defined in hive.yaml"}},
)
async def remove_agent(
    agent_id: str, principal: Writer, session: SessionDep, cluster: ClusterDep
) -> Response:
    """Remove a registered agent; agents of ``hive.yaml`` are removed from the file instead."""
    await delete_agent(session, cluster, agent_id)
    record_audit(session, principal.actor, "delete", "agent", agent_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
