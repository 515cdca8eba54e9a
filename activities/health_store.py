"""The central side of the health check: which agents to probe, and storing what the probes found."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from hive_core.config.models import ClusterConfig
from hive_core.monitoring.payloads import AgentTargets, HealthReport, ListAgentsInput, RecordHealthInput
from hive_core.monitoring.recorder import record_health
from hive_core.monitoring.registry import registered_agents

log = logging.getLogger(__name__)


class HealthStoreActivities:
    """``sessions`` None (no database wired): only ``hive.yaml``'s agents are probed, nothing is stored."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None, cluster: ClusterConfig) -> None:
        self._sessions = sessions
        self._cluster = cluster

    @activity.defn(name="hive.list_health_targets")
    async def list_agents(self, _: ListAgentsInput) -> AgentTargets:
        """The enabled agents of ``hive.yaml`` and of the registry."""
        ids = [a.id for a in self._cluster.agents.values() if a.enabled]
        if self._sessions is not None:
            try:
                async with self._sessions() as session:
                    ids += [a.id for a in await registered_agents(session, self._cluster) if a.enabled]
            except SQLAlchemyError as exc:
                # A database that is down must not stop the probes of hive.yaml's agents.
                log.warning("agent registry unavailable, probing hive.yaml agents only (%s)", exc)
        return AgentTargets(agent_ids=ids)

    @activity.defn(name="hive.record_health")
    async def record_health(self, request: RecordHealthInput) -> HealthReport:
        """Store metrics, statuses and alerts of one health check, and purge old metrics."""
        if self._sessions is None:
            log.warning("health check results not stored: no database configured for this worker")
            return HealthReport()
        async with self._sessions() as session, session.begin():
            return await record_health(session, self._cluster, request.outcomes, request.checked_at)


__all__ = ["HealthStoreActivities"]
