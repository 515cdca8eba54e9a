"""Typed payloads of the health check (pure models: safe to pass through the workflow sandbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from hive_core.agent_stats import AgentStatsSnapshot
from hive_core.host_telemetry.models import HostTelemetry

# "agent_host": the worker runs on the GPU host; "remote": it calls the agent's Ollama over the
# network, so its own CPU/GPU figures would describe the wrong host and are left out.
TelemetrySource = Literal["agent_host", "remote"]


def health_queue(agent_id: str) -> str:
    """The queue of an agent's health probes, polled by its daemon outside the shared LLM slots.

    Separate from ``hive-agent-<id>`` so that an agent busy with generations on every slot still
    answers its probe (busy is not down). Its own prefix cannot collide with an agent id.
    """
    return f"hive-health-{agent_id}"


class ProbeAgentInput(BaseModel):
    # How long Ollama may take to answer; shorter than the probe's own timeout, so that a hung
    # Ollama is reported as such (the daemon is alive) instead of the whole probe timing out.
    ollama_timeout_s: float = 3.0


class AgentProbe(BaseModel):
    """One look at an agent, as its own daemon sees it."""

    agent_id: str
    worker_hostname: str
    ollama_ok: bool
    ollama_error: str | None = None
    ollama_version: str | None = None
    models_available: list[str] = []
    models_loaded: list[str] = []
    # Wall time of the /api/tags, /api/ps and /api/version calls (made together).
    round_trip_s: float | None = None
    stats: AgentStatsSnapshot = AgentStatsSnapshot()
    telemetry_source: TelemetrySource
    host: HostTelemetry | None = None


class ListAgentsInput(BaseModel):
    """Nothing to ask; a model so the signature can grow."""


class AgentTargets(BaseModel):
    """The agents a health check probes (enabled ones, from hive.yaml and the registry)."""

    agent_ids: list[str]


class ProbeOutcome(BaseModel):
    """A probe's result, or why no daemon answered (``probe`` None)."""

    agent_id: str
    probe: AgentProbe | None = None
    error: str | None = None


class RecordHealthInput(BaseModel):
    checked_at: datetime
    outcomes: list[ProbeOutcome]


class HealthReport(BaseModel):
    """What one health check stored and changed."""

    up: list[str] = []
    down: list[str] = []
    alerts_opened: int = 0
    alerts_resolved: int = 0
    metrics_purged: int = 0


class HealthCheckInput(BaseModel):
    # How long a probe may wait for a daemon to pick it up, and then to answer. No daemon
    # polling the agent's queue fails the probe after this long: the agent counts as down.
    probe_timeout_s: float = 5.0


__all__ = [
    "AgentProbe",
    "AgentTargets",
    "HealthCheckInput",
    "HealthReport",
    "ListAgentsInput",
    "ProbeAgentInput",
    "ProbeOutcome",
    "RecordHealthInput",
    "TelemetrySource",
    "health_queue",
]
