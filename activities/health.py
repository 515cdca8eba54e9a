"""The health probe, run by each agent's daemon: its Ollama's state, its load, its host.

The probe runs in the agent worker process, so it sees that process's `AgentStats` (in-flight
calls, recent tokens/s). Host telemetry (CPU, memory, GPUs) describes the machine the worker
runs on, which is the GPU host only when the agent's endpoint points at this machine; a worker
that serves a remote Ollama reports no host telemetry rather than its own CPU as the GPU host's.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlparse

import httpx
import psutil
from temporalio import activity

from hive_core.agent_stats import AgentStats, AgentStatsSnapshot
from hive_core.config.models import AgentConfig
from hive_core.errors import HiveError
from hive_core.host_telemetry import read_host_telemetry
from hive_core.monitoring.payloads import AgentProbe, ProbeAgentInput
from hive_core.ollama.client import OllamaClient

# A healthy Ollama answers these in milliseconds; a probe must not wait like a generation does.
PROBE_HTTP_TIMEOUT_S = 5.0


def _local_addresses() -> set[str]:
    addresses = {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    for entries in psutil.net_if_addrs().values():
        addresses |= {entry.address.split("%")[0].lower() for entry in entries}
    return addresses


def endpoint_is_local(endpoint: str) -> bool:
    """Whether ``endpoint``'s host is this machine (loopback, one of its addresses or names)."""
    host = (urlparse(endpoint).hostname or "").lower()
    try:
        if ipaddress.ip_address(host).is_loopback:
            return True
    except ValueError:
        pass
    return host in _local_addresses()


def _model_names(reply: dict[str, object]) -> list[str]:
    models = reply.get("models")
    if not isinstance(models, list):
        return []
    return sorted({str(m.get("name") or m.get("model")) for m in models if isinstance(m, dict)})


class HealthActivities:
    """Probe of one agent. ``colocated`` None: decided from the endpoint's host."""

    def __init__(
        self,
        agent: AgentConfig,
        http: httpx.AsyncClient,
        stats: AgentStats | None = None,
        *,
        colocated: bool | None = None,
        http_timeout_s: float = PROBE_HTTP_TIMEOUT_S,
    ) -> None:
        self._agent = agent
        self._stats = stats
        self._colocated = colocated
        self._ollama = OllamaClient(
            http, agent.endpoint, connect_timeout=http_timeout_s, chunk_timeout=http_timeout_s
        )

    async def _is_colocated(self) -> bool:
        if self._colocated is None:
            # Name lookups may block; decided once per worker.
            self._colocated = await asyncio.to_thread(endpoint_is_local, self._agent.endpoint)
        return self._colocated

    @activity.defn(name="hive.probe_agent")
    async def probe(self, request: ProbeAgentInput) -> AgentProbe:
        """Ask the agent's Ollama what it has and runs, and sample this worker's load and host."""
        colocated = await self._is_colocated()
        telemetry = asyncio.create_task(asyncio.to_thread(read_host_telemetry)) if colocated else None
        started = time.perf_counter()
        probe = AgentProbe(
            agent_id=self._agent.id,
            worker_hostname=socket.gethostname(),
            ollama_ok=False,
            stats=self._stats.snapshot() if self._stats else AgentStatsSnapshot(),
            telemetry_source="agent_host" if colocated else "remote",
        )
        try:
            tags, loaded, version = await asyncio.wait_for(
                asyncio.gather(self._ollama.tags(), self._ollama.ps(), self._ollama.version()),
                timeout=request.ollama_timeout_s,
            )
        except HiveError as exc:
            probe.ollama_error = exc.message
        except TimeoutError:
            probe.ollama_error = (
                f"Ollama at {self._agent.endpoint} did not answer within {request.ollama_timeout_s:g} s"
            )
        else:
            probe.ollama_ok = True
            probe.round_trip_s = time.perf_counter() - started
            probe.models_available = _model_names(tags)
            probe.models_loaded = _model_names(loaded)
            probe.ollama_version = version or None
        if telemetry is not None:
            probe.host = await telemetry
        return probe


__all__ = ["HealthActivities", "endpoint_is_local"]
