"""The agents the central worker calls itself (``dispatch: local``), with their slots and stats.

Built once per central worker process from ``hive.yaml``. When the same process also drives
the agent's queue workers (``workers.central_agents``), both paths share one ``SharedSlotPool``
and one ``AgentStats``: a local call counts as a busy slot (the queue workers poll for less),
and a host failure on either path pauses both. Agents registered at run time (the agent
registry) always go through their queues.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import httpx

from activities.ollama import OllamaActivities
from activities.ollama_local import LocalHost, LocalOllamaActivities, Resolve
from hive_core.agent_stats import AgentStats
from hive_core.config import AgentConfig, ClusterConfig
from workers.slots import SharedSlotPool

# Seconds an agent stops taking work after its Ollama failed (refused, 5xx, broke mid-stream).
HOST_DOWN_PAUSE_S = 5.0


@dataclass
class LocalDispatch:
    """Slot pools and stats of the locally dispatched agents, keyed by agent id."""

    agents: dict[str, AgentConfig] = field(default_factory=dict)
    pools: dict[str, SharedSlotPool] = field(default_factory=dict)
    stats: dict[str, AgentStats] = field(default_factory=dict)

    @classmethod
    def from_cluster(cls, cluster: ClusterConfig) -> LocalDispatch:
        """Every enabled agent of ``cluster`` with ``dispatch: local``."""
        agents = {a.id: a for a in cluster.agents.values() if a.enabled and a.dispatch == "local"}
        return cls(
            agents=agents,
            pools={agent_id: SharedSlotPool(a.max_concurrent) for agent_id, a in agents.items()},
            stats={agent_id: AgentStats() for agent_id in agents},
        )

    def activities(self, http: httpx.AsyncClient, resolve: Resolve) -> LocalOllamaActivities:
        """The local activities of the central worker: routed by ``resolve``, each host called
        through ``http``."""
        hosts = {}
        for agent_id, agent in self.agents.items():
            pool = self.pools[agent_id]
            ollama = OllamaActivities(
                http,
                agent,
                self.stats[agent_id],
                on_unavailable=functools.partial(pool.pause, HOST_DOWN_PAUSE_S),
            )
            hosts[agent_id] = LocalHost(ollama=ollama, claim=pool.claim)
        return LocalOllamaActivities(hosts, resolve)


__all__ = ["HOST_DOWN_PAUSE_S", "LocalDispatch"]
