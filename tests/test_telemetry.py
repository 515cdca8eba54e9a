"""Observability wiring: traces through the Temporal interceptor, SDK metrics for Prometheus."""

from __future__ import annotations

import uuid

import httpx
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client, WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from hive_core.settings import HiveSettings, TelemetrySettings, TemporalSettings
from hive_core.stack.ports import free_port
from hive_core.telemetry import build_runtime, tracing_interceptors
from hive_core.temporal import connect_temporal
from tests.helpers import assert_eventually
from workers.factory import build_central_worker
from workflows.agent_probe import AgentProbeInput, AgentProbeWorkflow


def test_tracing_is_off_by_default() -> None:
    assert tracing_interceptors(TelemetrySettings()) == []


async def test_client_and_worker_emit_spans(temporal_env: WorkflowEnvironment, task_queue: str) -> None:
    exporter = InMemorySpanExporter()
    interceptors = tracing_interceptors(TelemetrySettings(), exporter=exporter)
    address = temporal_env.client.service_client.config.target_host
    client = await connect_temporal(TemporalSettings(address=address), interceptors=interceptors)
    settings = HiveSettings(temporal=TemporalSettings(task_queue=task_queue))
    async with build_central_worker(client, settings):
        handle = await client.start_workflow(
            AgentProbeWorkflow.run,
            AgentProbeInput(task_queue="nobody-" + task_queue, timeout_s=0.5),
            id=f"traced-{uuid.uuid4()}",
            task_queue=task_queue,
        )
        try:
            await handle.result()
        except WorkflowFailureError:
            pass  # by design: nobody polls that queue; the spans are what matter

    async def both_spans_exported() -> None:
        names = {span.name for span in exporter.get_finished_spans()}
        assert {"StartWorkflow:AgentProbeWorkflow", "RunWorkflow:AgentProbeWorkflow"} <= names

    await assert_eventually(both_spans_exported)


async def test_worker_runtime_exports_prometheus_metrics(
    temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    port = free_port()
    runtime = build_runtime(port, host="127.0.0.1")
    assert runtime is not None
    address = temporal_env.client.service_client.config.target_host
    client = await Client.connect(address, runtime=runtime)
    async with build_central_worker(client, HiveSettings(temporal=TemporalSettings(task_queue=task_queue))):
        async with httpx.AsyncClient() as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    assert "temporal_worker_task_slots_available" in text or "temporal_request" in text
    assert build_runtime(0) is None
