"""Agent and alert gauges on the API's /metrics, read from the database (the API is the scrape target).

Health checks run in the worker; their newest results are in the database. Before a scrape of
``/metrics`` its route refreshes a small cache (at most once per ``ttl_s``), and the
collector serves it, so a scrape costs at most two queries and Prometheus sees live values.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.config.models import ClusterConfig
from hive_core.db.models import AlertSeverity
from hive_core.monitoring.alert_store import alert_counts
from hive_core.monitoring.live import AgentView, agent_views

log = logging.getLogger(__name__)

DEFAULT_TTL_S = 5.0


class AgentMetricsCollector(Collector):
    """Prometheus collector of ``hive_agent_*`` and ``hive_alerts_*`` from a refreshed cache."""

    def __init__(self, ttl_s: float = DEFAULT_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._views: list[AgentView] = []
        self._open: dict[AlertSeverity, int] = dict.fromkeys(AlertSeverity, 0)
        self._opened_total = 0
        self._fetched_at = -math.inf

    async def refresh(self, sessions: async_sessionmaker[AsyncSession], cluster: ClusterConfig) -> None:
        """Reload from the database unless the cache is younger than ``ttl_s``."""
        if time.monotonic() - self._fetched_at < self.ttl_s:
            return
        try:
            async with sessions() as session:
                views = await agent_views(session, cluster)
                open_counts, opened_total = await alert_counts(session)
        except SQLAlchemyError as exc:
            # Keep serving the last values; /ready reports the database problem.
            log.debug("agent metrics not refreshed: %s", exc)
            return
        self._views, self._open, self._opened_total = views, open_counts, opened_total
        self._fetched_at = time.monotonic()

    def describe(self) -> list[object]:
        # Nothing up front: registering must not trigger a collection.
        return []

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        def gauge(name: str, doc: str, labels: tuple[str, ...] = ("agent",)) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, doc, labels=list(labels))

        up = gauge("hive_agent_up", "1 when the agent's daemon and Ollama answered the last health check")
        tps = gauge("hive_agent_tokens_per_second", "Mean decode speed of the agent's recent generations")
        in_flight = gauge("hive_agent_in_flight", "LLM calls the agent is running")
        cpu = gauge("hive_agent_cpu_percent", "CPU use of the agent's host")
        memory = gauge("hive_agent_memory_percent", "Memory use of the agent's host")
        gpu_labels = ("agent", "gpu", "name")
        gpu_util = gauge("hive_agent_gpu_utilization_percent", "GPU utilisation", gpu_labels)
        gpu_used = gauge("hive_agent_gpu_memory_used_bytes", "GPU memory in use", gpu_labels)
        gpu_total = gauge("hive_agent_gpu_memory_total_bytes", "GPU memory size", gpu_labels)
        gpu_temp = gauge("hive_agent_gpu_temperature_celsius", "GPU temperature", gpu_labels)
        gpu_power = gauge("hive_agent_gpu_power_watts", "GPU power draw", gpu_labels)
        for view in self._views:
            agent, live = view.agent.id, view.live
            if live.status in ("up", "down"):
                up.add_metric([agent], 1.0 if live.status == "up" else 0.0)
            for family, value in (
                (tps, live.tokens_per_second),
                (in_flight, live.in_flight),
                (cpu, live.cpu_percent),
                (memory, live.memory_percent),
            ):
                if value is not None:
                    family.add_metric([agent], float(value))
            for gpu in live.gpus:
                labels = [agent, str(gpu.index), gpu.name]
                for family, value in (
                    (gpu_util, gpu.utilization_percent),
                    (gpu_used, gpu.memory_used_bytes),
                    (gpu_total, gpu.memory_total_bytes),
                    (gpu_temp, gpu.temperature_celsius),
                    (gpu_power, gpu.power_watts),
                ):
                    if value is not None:
                        family.add_metric(labels, float(value))
        yield from (up, tps, in_flight, cpu, memory, gpu_util, gpu_used, gpu_total, gpu_temp, gpu_power)
        alerts_open = GaugeMetricFamily("hive_alerts_open", "Unresolved alerts", labels=["severity"])
        for severity, count in self._open.items():
            alerts_open.add_metric([severity.value], float(count))
        yield alerts_open
        yield CounterMetricFamily(
            "hive_alerts_opened", "Alerts opened since the database was created", value=self._opened_total
        )


__all__ = ["AgentMetricsCollector"]
