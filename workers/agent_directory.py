"""Agents registered at run time (through the API), for routing: the central worker's directory.

Routing resolves every LLM call against ``hive.yaml``'s agents plus these; reading them costs a
database query, so the list is kept for a few seconds. A store that is down or not migrated yet
means no registered agents, not failed calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.routing import AgentDirectory
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.monitoring.registry import registered_agents

log = logging.getLogger(__name__)

# A newly registered agent is routable this many seconds later at most.
DIRECTORY_TTL_S = 5.0


def registry_directory(
    sessions: async_sessionmaker[AsyncSession], cluster: ClusterConfig, ttl_s: float = DIRECTORY_TTL_S
) -> AgentDirectory:
    """An ``AgentDirectory`` over the agent registry table, cached for ``ttl_s`` seconds."""
    cached: list[AgentConfig] = []
    read_at = float("-inf")

    async def directory() -> Sequence[AgentConfig]:
        nonlocal cached, read_at
        if time.monotonic() - read_at < ttl_s:
            return cached
        try:
            async with sessions() as session:
                cached = await registered_agents(session, cluster)
        except SQLAlchemyError as exc:
            log.warning("registered agents unavailable (%s); routing to hive.yaml's", type(exc).__name__)
            cached = []
        read_at = time.monotonic()
        return cached

    return directory


__all__ = ["DIRECTORY_TTL_S", "registry_directory"]
