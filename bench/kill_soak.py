"""Kill soak: executions keep their promises while Hive's processes are SIGKILLed and restarted.

N executions of a workflow mixing HTTP calls (to a local server that counts calls per execution
and node), Code, Wait 1 s, a sub-workflow and a Basic LLM Chain (fake Ollama), half started over
REST (`POST /api/workflows/soak/executions`), half by `POST /webhook/soak`, on a stack of real
processes: the Temporal dev server on a file database, `hive api`, two `hive worker`s.

    python bench/kill_soak.py                              # --kill workers: SIGKILL a random
                                                           #   worker at random moments, restart it
    python bench/kill_soak.py --kill dev-server --kills 5  # the Temporal dev server, restarted on
                                                           #   its file database: every run completes
    python bench/kill_soak.py --kill api --kills 10        # the API while webhooks arrive: every
                                                           #   webhook answered 2xx has its execution
    options: --executions 100 --kills 50 --seed 1

Prints executions succeeded, kills, calls in flight at the kills, repeated calls (allowed only
for calls in flight at a kill), calls missing; exits 1 when a promise was broken.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.service import RPCError  # noqa: E402

from bench._soak_stack import CALLS, CallCounter, SoakStack, soak_workflows, start_counter  # noqa: E402
from hive_core.temporal import ensure_search_attributes  # noqa: E402
from hive_core.temporal.readiness import wait_for_pollers  # noqa: E402
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig  # noqa: E402
from workflows.n8n_models import ExecutionStatus  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

# Seconds between kills (uniform), per mode: a dev server needs longer to come back.
GAPS = {"workers": (0.5, 2.5), "dev-server": (4.0, 8.0), "api": (1.0, 3.0)}
# About how long a killed process takes to serve again here: starts are spread over the kills.
RESTART_S = {"workers": 10.0, "dev-server": 3.0, "api": 3.0}
FINISH_TIMEOUT_S = 300.0
QUEUE = "hive-workflows"


@dataclass
class Soak:
    """What happened, for the report."""

    mode: str
    counter: CallCounter
    ollama: FakeOllama
    started: dict[str, str] = field(default_factory=dict)  # run → "rest" | "webhook"
    unanswered: list[str] = field(default_factory=list)  # webhooks with no 2xx answer
    start_retries: int = 0
    kills: int = 0
    in_flight_at_kills: set[tuple[str, str]] = field(default_factory=set)
    kill_times: list[float] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # run → why it did not succeed
    restart_s: list[float] = field(default_factory=list)  # kill → serving again


async def _post_until(send: Callable[[], Awaitable[httpx.Response]], ok: set[int], soak: Soak) -> bool:
    """Send until answered with `ok` (the API or Temporal may be down for a moment)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if (await send()).status_code in ok:
                return True
        except httpx.HTTPError:
            pass
        soak.start_retries += 1
        await asyncio.sleep(0.5)
    return False


async def _start_one(http: httpx.AsyncClient, soak: Soak, index: int) -> None:
    run = f"r{index:04d}-{uuid.uuid4().hex[:6]}"
    webhook = soak.mode == "api" or index % 2 == 1
    if webhook and soak.mode == "api":
        # Sent once: an answer that never came means nothing was promised.
        try:
            answered = await http.post("/webhook/soak", json={"run": run})
        except httpx.HTTPError:
            soak.unanswered.append(run)
            return
        if 200 <= answered.status_code < 300:
            soak.started[run] = "webhook"
        else:
            soak.unanswered.append(run)
        return
    if webhook:
        sent = await _post_until(lambda: http.post("/webhook/soak", json={"run": run}), {200}, soak)
    else:
        # The idempotency key makes the retried start the same execution.
        sent = await _post_until(
            lambda: http.post(
                "/api/workflows/soak/executions",
                json={"input": {"run": run}},
                headers={"Idempotency-Key": run},
            ),
            {200, 201},
            soak,
        )
    if sent:
        soak.started[run] = "webhook" if webhook else "rest"
    else:
        soak.unanswered.append(run)


async def _load(http: httpx.AsyncClient, soak: Soak, executions: int, spacing_s: float) -> None:
    tasks = []
    for index in range(executions):
        tasks.append(asyncio.create_task(_start_one(http, soak, index)))
        await asyncio.sleep(spacing_s)
    await asyncio.gather(*tasks)


async def _chaos(stack: SoakStack, soak: Soak, kills: int, rng: random.Random) -> None:
    low, high = GAPS[soak.mode]
    for _ in range(kills):
        await asyncio.sleep(rng.uniform(low, high))
        if soak.mode == "workers":
            victim = rng.choice(stack.workers)
        else:
            victim = stack.temporal if soak.mode == "dev-server" else stack.api
        soak.in_flight_at_kills |= soak.counter.snapshot_in_flight()
        stack.kill(victim)
        await victim.wait()
        soak.kills += 1
        soak.kill_times.append(time.monotonic())
        if soak.mode == "dev-server":
            await asyncio.sleep(1.0)
            await stack.start_temporal()  # same port, same database file
        elif soak.mode == "api":
            await asyncio.sleep(rng.uniform(0.2, 1.0))
            await victim.start()
            await stack.wait_api()
        else:
            # Restarted at once; the next kill waits until it polls again, so that one worker at
            # a time is down (with both down, the agent they drive is gone: NoLiveAgent is right).
            ready = stack.ready_lines(victim)
            await victim.start()
            await stack.wait_ready(victim, ready)
        soak.restart_s.append(time.monotonic() - soak.kill_times[-1])


async def _results(client: Client, soak: Soak) -> dict[str, ExecutionStatus]:
    """Status of every top-level run, by the run marker its trigger item carried."""
    statuses: dict[str, ExecutionStatus] = {}
    async for execution in client.list_workflows("WorkflowType = 'N8nWorkflow'"):
        if execution.parent_id is not None:
            continue  # a sub-workflow run
        handle = client.get_workflow_handle_for(N8nWorkflow.run, execution.id)
        snapshot = await asyncio.wait_for(handle.result(), timeout=FINISH_TIMEOUT_S)
        tasks = snapshot.run_data.get("Norm") or []
        run = tasks[0]["data"]["main"][0][0]["json"]["run"] if tasks else f"?{execution.id}"
        if snapshot.status is not ExecutionStatus.SUCCESS:
            soak.failures[run] = f"{snapshot.last_node_executed}: {str(snapshot.error)[:300]}"
        if run in statuses:
            statuses[f"{run} (duplicate {execution.id})"] = snapshot.status
        else:
            statuses[run] = snapshot.status
    return statuses


async def _finished(client: Client, soak: Soak, timeout_s: float) -> None:
    """Until every started run made its last call or no run is open any more (or the timeout)."""
    began = time.monotonic()
    deadline = began + timeout_s
    while time.monotonic() < deadline:
        with soak.counter.lock:
            done = all(soak.counter.counts[(run, "Z")] for run in soak.started)
        if done:
            return
        # A failed run never makes its last call; visibility lists a new run a moment late.
        if time.monotonic() - began > 10:
            with contextlib.suppress(RPCError):
                open_runs = "WorkflowType = 'N8nWorkflow' AND ExecutionStatus = 'Running'"
                if (await client.count_workflows(open_runs)).count == 0:
                    return
        await asyncio.sleep(0.5)


async def _indexed(http: httpx.AsyncClient) -> int:
    total = 0
    for workflow_id in ("soak", "soak-hook"):
        page = await http.get("/api/executions", params={"workflow_id": workflow_id, "limit": 1})
        total += int(page.json()["total"])
    return total


def _figures(
    soak: Soak, statuses: dict[str, ExecutionStatus], indexed: int, took_s: float
) -> dict[str, float]:
    counts = soak.counter.counts
    repeated = [(run, node) for (run, node), n in counts.items() if n > 1]
    unexplained = [key for key in repeated if key not in soak.in_flight_at_kills]
    missing = [(run, node) for run in soak.started for node in CALLS if counts[(run, node)] == 0]
    prompts = [
        str((body.get("messages") or [{}])[-1].get("content", "")) for body in soak.ollama.stats.bodies
    ]
    ai_calls = sum(1 for p in prompts if "soak r" in p)
    succeeded = sum(1 for run in soak.started if statuses.get(run) is ExecutionStatus.SUCCESS)
    return {
        "executions started (answered 2xx)": len(soak.started),
        "  of which over REST": sum(1 for how in soak.started.values() if how == "rest"),
        "  of which by webhook": sum(1 for how in soak.started.values() if how == "webhook"),
        "webhooks not answered 2xx (API down)": len(soak.unanswered),
        "start requests retried": soak.start_retries,
        "executions succeeded": succeeded,
        "executions not succeeded": len(soak.started) - succeeded,
        "executions in Temporal (top level)": len(statuses),
        "executions in the API's index": indexed,
        "kills": soak.kills,
        "calls in flight at the kills": len(soak.in_flight_at_kills),
        "HTTP calls made": sum(counts.values()),
        "repeated calls": len(repeated),
        "repeated calls not in flight at a kill": len(unexplained),
        "calls missing": len(missing),
        "LLM calls (fake Ollama)": ai_calls,
        "mean seconds from a kill to serving again": sum(soak.restart_s) / max(len(soak.restart_s), 1),
        "seconds": took_s,
    }


async def soak(mode: str, executions: int, kills: int, seed: int) -> tuple[dict[str, float], Soak, bool]:
    rng = random.Random(seed)
    counter, server = start_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="hive-soak-") as tmp:
            async with FakeOllama(FakeOllamaConfig(models=["llama3.2:latest"], reply_tokens=8)) as ollama:
                stack = SoakStack(Path(tmp), ollama.url)
                state = Soak(mode=mode, counter=counter, ollama=ollama)
                try:
                    figures, kept = await _run(stack, state, executions, kills, rng)
                    return figures, state, kept
                finally:
                    await stack.stop()
    finally:
        server.shutdown()


async def _run(
    stack: SoakStack, state: Soak, executions: int, kills: int, rng: random.Random
) -> tuple[dict[str, float], bool]:
    await stack.prepare(soak_workflows(state.counter.url))
    client = await stack.start_temporal()
    await ensure_search_attributes(client)
    for process in [stack.api, *stack.workers]:
        await process.start()
    await stack.wait_api()
    await wait_for_pollers(client, QUEUE, time.monotonic() + 60)
    low, high = GAPS[state.mode]
    spacing = kills * ((low + high) / 2 + RESTART_S[state.mode]) / max(executions, 1)
    started = time.monotonic()
    headers = {"X-API-Key": stack.key}
    async with httpx.AsyncClient(base_url=stack.api_url, headers=headers, timeout=30) as http:
        await asyncio.gather(_load(http, state, executions, spacing), _chaos(stack, state, kills, rng))
        await _finished(client, state, FINISH_TIMEOUT_S)
        took = time.monotonic() - started
        statuses = await _results(client, state)
        await asyncio.sleep(6)  # one reconciler pass: runs whose start the killed API never indexed
        indexed = await _indexed(http)
    figures = _figures(state, statuses, indexed, took)
    for run in sorted(set(state.started) - set(statuses)):
        state.failures[run] = "answered 2xx, but Temporal has no such execution"
    kept = (
        figures["executions succeeded"] == figures["executions started (answered 2xx)"]
        and figures["calls missing"] == 0
        and figures["repeated calls not in flight at a kill"] == 0
        and figures["executions in the API's index"] >= figures["executions started (answered 2xx)"]
    )
    return figures, kept


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kill", choices=sorted(GAPS), default="workers", help="what to SIGKILL")
    parser.add_argument("--executions", type=int, default=100)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1, help="kill moments and victims")
    args = parser.parse_args()
    figures, state, kept = asyncio.run(soak(args.kill, args.executions, args.kills, args.seed))
    print(f"kill soak: --kill {args.kill} --executions {args.executions} --kills {args.kills}")
    for name, value in figures.items():
        print(f"{name:<44} {value:>10g}")
    for run, why in sorted(state.failures.items()):
        print(f"  not succeeded: {run}: {why}")
    print("every promise kept" if kept else "PROMISE BROKEN (see above)")
    sys.exit(0 if kept else 1)


if __name__ == "__main__":
    main()
