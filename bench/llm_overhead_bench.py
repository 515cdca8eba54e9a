"""What Hive adds to an LLM call, against a chat straight to the same (fake) Ollama.

Every path streams the same reply from the fake Ollama (same first-token latency and decode
speed); the direct path is a bare httpx NDJSON read.

- activity: `OllamaActivities.chat` in Temporal's ActivityEnvironment (validation, model check,
  assembly, heartbeats) — the per-call cost inside the worker.
- end to end: an n8n workflow (Manual Trigger → Basic LLM Chain ← Ollama Chat Model) started on a
  real Temporal dev server and awaited: interpreter, expression step, routing, the call and the
  result — what a user waits for beyond the model itself (target: ≤ 40 ms on an instant host),
  by each way an agent can be reached:
  - before: the queue path as it was, the interpreter in Temporal's sandbox;
  - queue path (`dispatch: queue`, the default): an activity on the agent's task queue;
  - local path (`dispatch: local`): a local activity of the central worker calls the Ollama;
  - local path, started as the API starts it: the same, started by Hive's `start_run` (which
    asks for an eager start) on the central worker's own client, as with `api.embedded_worker`
    (`hive up --worker-in-api`): the first workflow task comes back in the start reply.
- Temporal floors, on the same server, whatever Hive does: a bare workflow awaiting one no-op
  activity on another worker's queue (the queue path's shape: start → workflow task → activity
  on the agent's queue → workflow task), and one awaiting one no-op local activity (the local
  path's shape: start → one workflow task; also started eagerly). "over the floor" is the rest,
  Hive's own: the interpreter, the expression step, routing.

    python bench/llm_overhead_bench.py --runs 20             # table: median ms per call
    python bench/llm_overhead_bench.py --save base.json      # keep the figures
    python bench/llm_overhead_bench.py --baseline base.json  # add a comparison column
    python bench/llm_overhead_bench.py --paced 0             # skip the paced instant-host rows
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib  # noqa: E402
import uuid  # noqa: E402
from datetime import timedelta  # noqa: E402

import httpx  # noqa: E402
from temporalio import activity, workflow  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.testing import ActivityEnvironment  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

from activities.ollama import OllamaActivities  # noqa: E402
from bench._n8n_ai import chain_export  # noqa: E402
from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.config import ClusterConfig  # noqa: E402
from hive_core.config.models import AgentConfig  # noqa: E402
from hive_core.executions import start_run  # noqa: E402
from hive_core.ollama import ChatMessage, ChatRequest  # noqa: E402
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

PROMPT = "Why is the sky blue?"

# (label, tokens/s, first-token latency s): an instant host shows the pure overhead,
# a realistic one shows it against a real call's duration.
SCENARIOS = [("instant host", 0.0, 0.0), ("200 tok/s, 50 ms first token", 200.0, 0.05)]


@activity.defn(name="bench.noop")
async def _noop(value: str) -> str:
    return value


@workflow.defn(name="BenchFloor", sandboxed=False)
class _FloorWorkflow:
    @workflow.run
    async def run(self, queue: str) -> str:
        if not queue:  # the local path's floor
            return await workflow.execute_local_activity(
                _noop, "x", start_to_close_timeout=timedelta(seconds=30)
            )
        return await workflow.execute_activity(
            _noop, "x", task_queue=queue, start_to_close_timeout=timedelta(seconds=30)
        )


@contextlib.asynccontextmanager
async def _floor_workers(client: Client) -> AsyncIterator[tuple[str, str]]:
    """A workflow worker and, on its own connection, an activity worker on another queue."""
    queues = (f"bench-floor-wf-{uuid.uuid4().hex[:8]}", f"bench-floor-act-{uuid.uuid4().hex[:8]}")
    other = await Client.connect(client.service_client.config.target_host, namespace=client.namespace)
    async with (
        Worker(client, task_queue=queues[0], workflows=[_FloorWorkflow], activities=[_noop]),
        Worker(other, task_queue=queues[1], activities=[_noop]),
    ):
        yield queues


async def _run_floor(
    client: Client, queues: tuple[str, str], activity_queue: str, eager: bool = False
) -> None:
    await client.execute_workflow(
        _FloorWorkflow.run,
        activity_queue,
        id=f"bench-floor-{uuid.uuid4().hex[:12]}",
        task_queue=queues[0],
        request_eager_start=eager,
    )


async def _direct(http: httpx.AsyncClient, url: str, request: ChatRequest) -> None:
    text = []
    async with http.stream("POST", url + "/api/chat", json=request.to_wire()) as response:
        async for line in response.aiter_lines():
            chunk = json.loads(line)
            text.append(chunk["message"]["content"])
    assert text


async def _timed_ms(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def _run_chain(client: Client, queue: str, plan_input: RunN8nInput) -> None:
    snapshot = await client.execute_workflow(
        N8nWorkflow.run,
        plan_input,
        id=f"bench-llm-{uuid.uuid4().hex[:12]}",
        task_queue=queue,
    )
    if snapshot.status is not ExecutionStatus.SUCCESS:
        raise RuntimeError(f"bench run failed: {snapshot.error}")


async def _run_chain_started_by_hive(client: Client, queue: str, plan_input: RunN8nInput) -> None:
    """As the API starts a run (``start_run``): eager when a worker shares the client, as with
    ``api.embedded_worker``."""
    execution_id = f"bench-llm-{uuid.uuid4().hex[:12]}"
    await start_run(client, plan_input, execution_id, queue)
    snapshot = await client.get_workflow_handle_for(N8nWorkflow.run, execution_id).result()
    if snapshot.status is not ExecutionStatus.SUCCESS:
        raise RuntimeError(f"bench run failed: {snapshot.error}")


@contextlib.asynccontextmanager
async def _hive_workers(
    client: Client, agent: AgentConfig, http: httpx.AsyncClient, sandboxed: bool = False
) -> AsyncIterator[str]:
    """Central worker + the agent's workers (its own client: one worker per queue per client)."""
    queue = f"bench-llm-{uuid.uuid4().hex[:8]}"
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
    )
    cluster = ClusterConfig(agents={agent.id: agent})
    agent_client = await Client.connect(
        client.service_client.config.target_host,
        namespace=client.namespace,
        data_converter=client.data_converter,
    )
    workers = [build_central_worker(client, settings, cluster, http, sandboxed=sandboxed)]
    workers += build_agent_workers(agent_client, agent, settings, http)
    async with contextlib.AsyncExitStack() as stack:
        for worker in workers:
            await stack.enter_async_context(worker)
        yield queue


# (figure name, path index) of the table, per scenario; overheads subtract the direct call.
PATHS = [
    "direct",
    "activity",
    "before: queue path, sandboxed interpreter",
    "queue path",
    "local path",
    "local path, started as the API starts it (eager, embedded worker)",
    "floor: workflow + 1 activity elsewhere",
    "floor: workflow + 1 local activity",
    "floor: workflow + 1 local activity, eager start",
]


async def _scenario(
    client: Client, tps: float, latency: float, tokens: int, runs: int, pause_s: float = 0.0
) -> dict[str, float]:
    """Median ms of each path of ``PATHS``; the paths alternate so that drift hits all alike."""
    config = FakeOllamaConfig(tokens_per_second=tps, first_token_latency=latency, reply_tokens=tokens)
    request = ChatRequest(model="llama3.2", messages=[ChatMessage(role="user", content=PROMPT)])
    plan = compile_export(chain_export("llama3.2", "llm overhead bench"))[0]
    chain_input = RunN8nInput(plan=plan, trigger_items=[{"json": {"chatInput": PROMPT}}])
    async with FakeOllama(config) as fake, httpx.AsyncClient() as http:
        queued = AgentConfig(
            id="bench", name="bench", endpoint=fake.url, models=["llama3.2"], max_concurrent=4
        )
        local = queued.model_copy(update={"id": "bench-local", "name": "bench-local", "dispatch": "local"})
        chat = OllamaActivities(http, queued).chat
        async with (
            _hive_workers(client, queued, http, sandboxed=True) as before_queue,
            _hive_workers(client, queued, http) as queue,
            _hive_workers(client, local, http) as local_queue,
            _floor_workers(client) as floor,
        ):
            paths: list[Callable[[], Awaitable[object]]] = [
                lambda: _direct(http, fake.url, request),
                lambda: ActivityEnvironment().run(chat, request),
                lambda: _run_chain(client, before_queue, chain_input),
                lambda: _run_chain(client, queue, chain_input),
                lambda: _run_chain(client, local_queue, chain_input),
                lambda: _run_chain_started_by_hive(client, local_queue, chain_input),
                lambda: _run_floor(client, floor, floor[1]),
                lambda: _run_floor(client, floor, ""),
                lambda: _run_floor(client, floor, "", eager=True),
            ]
            for path in paths:
                await path()  # warm up: connection pool, first-call caches, sticky queue
            times: list[list[float]] = [[] for _ in paths]
            for _ in range(runs):
                for index, path in enumerate(paths):
                    times[index].append(await _timed_ms(path))
                    if pause_s:
                        await asyncio.sleep(pause_s)
    return {name: statistics.median(t) for name, t in zip(PATHS, times, strict=True)}


def _rows(name: str, medians: dict[str, float], full: bool) -> dict[str, float]:
    direct = medians["direct"]
    rows = {f"{name}: direct ms": direct}
    if full:
        rows[f"{name}: activity overhead ms"] = medians["activity"] - direct
    for path, floor in (
        ("before: queue path, sandboxed interpreter", None),
        ("queue path", "floor: workflow + 1 activity elsewhere"),
        ("local path", "floor: workflow + 1 local activity"),
        (
            "local path, started as the API starts it (eager, embedded worker)",
            "floor: workflow + 1 local activity, eager start",
        ),
    ):
        rows[f"{name}: {path}: end-to-end overhead ms"] = medians[path] - direct
        if floor is not None:
            rows[f"{name}: {floor} ms"] = medians[floor]
            if full:
                rows[f"{name}: {path}: over the floor ms"] = medians[path] - direct - medians[floor]
    return rows


async def _main(args: argparse.Namespace) -> dict[str, float]:
    figures: dict[str, float] = {}
    env = await start_ephemeral_server()
    try:
        for label, tps, latency in SCENARIOS:
            medians = await _scenario(env.client, tps, latency, args.tokens, args.runs)
            figures |= _rows(f"{label}, {args.tokens} tok", medians, full=True)
        if args.paced:
            # Back to back, each Temporal hop here waits longer than after a pause
            # (measured: the queue floor is ~140 ms back to back, ~50 ms with 1 s between runs).
            medians = await _scenario(env.client, 0.0, 0.0, args.tokens, args.runs, pause_s=args.paced)
            figures |= _rows(f"instant host, {args.tokens} tok, calls {args.paced:g} s apart", medians, False)
    finally:
        await env.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="calls per path and scenario (median)")
    parser.add_argument("--tokens", type=int, default=50, help="tokens per reply")
    parser.add_argument(
        "--paced", type=float, default=1.0, help="also: instant host, this many s between calls (0: off)"
    )
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(_main(args)), args, unit_width=92)


if __name__ == "__main__":
    main()
