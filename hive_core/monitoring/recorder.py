"""Store one health check: a metrics row per agent, its status, its alerts, and the retention purge."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.config.models import ClusterConfig
from hive_core.db.models import Agent, AgentMetric, AgentStatus
from hive_core.monitoring.alert_store import reconcile_alerts, resolve_unmonitored
from hive_core.monitoring.alerts import HealthSample, evaluate
from hive_core.monitoring.payloads import HealthReport, ProbeOutcome
from hive_core.monitoring.registry import registered_agents, sync_config_agents

log = logging.getLogger(__name__)


def sample_of(outcome: ProbeOutcome) -> HealthSample:
    """What the alert rules look at: up only when the daemon answered and so did its Ollama."""
    probe = outcome.probe
    if probe is None:
        return HealthSample(
            agent_id=outcome.agent_id, up=False, down_reason=outcome.error or "no worker answered"
        )
    if not probe.ollama_ok:
        return HealthSample(
            agent_id=outcome.agent_id, up=False, down_reason=probe.ollama_error or "Ollama did not answer"
        )
    host = probe.host
    return HealthSample(
        agent_id=outcome.agent_id,
        up=True,
        cpu_percent=host.cpu_percent if host else None,
        memory_percent=host.memory_percent if host else None,
        gpus=host.gpus if host else [],
        response_time_s=probe.round_trip_s,
    )


def _metric(outcome: ProbeOutcome, up: bool, at: datetime) -> AgentMetric:
    probe = outcome.probe
    performance: dict[str, Any] = {"up": up, "error": outcome.error}
    gpu_metrics: dict[str, Any] | None = None
    cpu = memory = None
    if probe is not None:
        performance |= {
            "error": probe.ollama_error,
            "worker_hostname": probe.worker_hostname,
            "ollama_version": probe.ollama_version,
            "models_available": probe.models_available,
            "models_loaded": probe.models_loaded,
            "round_trip_s": probe.round_trip_s,
            "in_flight": probe.stats.in_flight,
            "tokens_per_second": probe.stats.tokens_per_second,
            "completed": probe.stats.completed,
            "failed": probe.stats.failed,
            "tokens_generated": probe.stats.tokens_generated,
            "telemetry_source": probe.telemetry_source,
        }
        if probe.host is not None:
            cpu, memory = probe.host.cpu_percent, probe.host.memory_percent
            if probe.host.gpu_source is not None:
                gpu_metrics = {
                    "source": probe.host.gpu_source,
                    "gpus": [g.model_dump() for g in probe.host.gpus],
                }
    return AgentMetric(
        agent_id=outcome.agent_id,
        timestamp=at,
        performance_data=performance,
        gpu_metrics=gpu_metrics,
        cpu_percent=cpu,
        memory_percent=memory,
    )


def _status(outcome: ProbeOutcome, row: Agent, up: bool) -> AgentStatus:
    if outcome.probe is None:
        return AgentStatus.OFFLINE
    if not up:
        # The daemon answered but its Ollama did not.
        return AgentStatus.ERROR
    return AgentStatus.BUSY if outcome.probe.stats.in_flight >= row.max_concurrent else AgentStatus.ONLINE


async def purge_metrics(session: AsyncSession, older_than: datetime) -> int:
    """Delete metrics rows older than ``older_than``; returns how many."""
    result = await session.execute(delete(AgentMetric).where(AgentMetric.timestamp < older_than))
    return int(getattr(result, "rowcount", 0) or 0)


async def record_health(
    session: AsyncSession, cluster: ClusterConfig, outcomes: list[ProbeOutcome], now: datetime
) -> HealthReport:
    """Store the outcomes of one health check taken at ``now`` (the caller commits)."""
    await sync_config_agents(session, cluster)
    report = HealthReport()
    ids = [o.agent_id for o in outcomes]
    rows = {row.id: row for row in await session.scalars(select(Agent).where(Agent.id.in_(ids)))}
    for outcome in outcomes:
        row = rows.get(outcome.agent_id)
        if row is None:
            # Deleted from the registry while the check ran.
            log.info("health of %s not stored: no such agent any more", outcome.agent_id)
            continue
        sample = sample_of(outcome)
        session.add(_metric(outcome, sample.up, now))
        row.status = _status(outcome, row, sample.up)
        if outcome.probe is not None:
            row.last_seen_at = now
        (report.up if sample.up else report.down).append(outcome.agent_id)
        changes = await reconcile_alerts(
            session, outcome.agent_id, evaluate(sample, cluster.monitoring.alert_thresholds), now
        )
        report.alerts_opened += len(changes.opened)
        report.alerts_resolved += len(changes.resolved)
    # An agent removed or disabled since its alert opened will never clear it by itself.
    monitored = {a.id for a in cluster.agents.values() if a.enabled}
    monitored |= {a.id for a in await registered_agents(session, cluster) if a.enabled}
    report.alerts_resolved += len(await resolve_unmonitored(session, monitored, now))
    horizon = now - timedelta(days=cluster.monitoring.metrics_retention_days)
    report.metrics_purged = await purge_metrics(session, horizon)
    await session.flush()
    return report


__all__ = ["purge_metrics", "record_health", "sample_of"]
