"""Prometheus metrics of the API, on a registry per app (tests build many apps)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from api.agent_metrics import AgentMetricsCollector


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.requests = Counter(
            "hive_http_requests_total",
            "HTTP requests handled by the Hive API",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "hive_http_request_duration_seconds",
            "HTTP request latency of the Hive API",
            ["method", "route"],
            registry=self.registry,
        )
        # hive_agent_* and hive_alerts_* from the database; refreshed by the /metrics route.
        self.agents = AgentMetricsCollector()
        self.registry.register(self.agents)

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            # Label by route template, not raw path, to keep cardinality bounded.
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            self.requests.labels(request.method, template, str(status)).inc()
            self.latency.labels(request.method, template).observe(time.perf_counter() - started)
