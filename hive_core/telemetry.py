"""Observability wiring: Temporal SDK metrics for Prometheus, OpenTelemetry tracing when configured."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from temporalio.client import Interceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from hive_core.settings import TelemetrySettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

log = logging.getLogger(__name__)


def build_runtime(metrics_port: int, host: str = "0.0.0.0") -> Runtime | None:
    """A Temporal runtime exporting SDK metrics on ``host:metrics_port``; None when port is 0."""
    if not metrics_port:
        return None
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"{host}:{metrics_port}")))


def tracing_interceptors(
    settings: TelemetrySettings, exporter: SpanExporter | None = None
) -> list[Interceptor]:
    """Temporal tracing interceptors, only when an OTLP endpoint (or an exporter) is given.

    Workers built from a client with these interceptors trace too. The tracer provider is
    private to Hive (not the global one), so tests and embedding apps are not affected.
    """
    if exporter is None and not settings.otlp_endpoint:
        return []
    # Imported here: tracing is optional and these imports cost start-up time.
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from temporalio.contrib.opentelemetry import TracingInterceptor

    if exporter is None:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint)
        log.info("OpenTelemetry tracing to %s", settings.otlp_endpoint)
    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return [TracingInterceptor(tracer=provider.get_tracer("hive"))]
