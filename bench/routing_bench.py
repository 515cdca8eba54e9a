"""Routing under load: pull-based balancing over agents of different speeds, and losing one.

A real Temporal dev server (in memory); three fake Ollama hosts at 20, 40 and 80 tokens/s with
4 slots each, every one driven by its own `hive worker --agent ID` process (a GPU host's daemon);
Hive's central worker in this process runs an n8n workflow (Manual Trigger → Basic LLM Chain ←
Ollama Chat Model) whose one chat goes through ``workflows.ai_dispatch`` to the model's shared
queue (``--plain``: a bench-local workflow making the same call, without the n8n interpreter).

1. Balance: ``--runs`` executions started at once. Slot utilisation = busy slot-time (the fake
   hosts' generations in flight, sampled every 10 ms) / available slot-time (12 slots × the time
   from the first start to the last result).
2. Failover: ``--failover-runs`` executions; once the hosts are busy the 40 tokens/s agent's
   worker is killed (SIGKILL) and its Ollama stopped. Detect = kill → Temporal scheduled a new
   attempt of every call the victim had in flight (heartbeat timeout); first retry = kill → one
   of them reached another host; recover = kill → the last of them finished elsewhere. Every
   execution must complete.

    python bench/routing_bench.py                       # both scenarios, one table
    python bench/routing_bench.py --save base.json      # keep the figures
    python bench/routing_bench.py --baseline base.json  # add a comparison column
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import yaml  # noqa: E402
from temporalio import workflow  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

from activities.routing import AiRoute, QueuePollersInput, RoutingActivities  # noqa: E402
from bench._n8n_ai import chain_export  # noqa: E402
from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.config import ClusterConfig, parse_cluster_config  # noqa: E402
from hive_core.ollama.types import ChatMessage, ChatRequest, ChatResult  # noqa: E402
from hive_core.queues import agent_queue  # noqa: E402
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from hive_core.temporal.readiness import wait_for_pollers  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig  # noqa: E402
from workers.factory import build_central_worker  # noqa: E402
from workers.local_dispatch import LocalDispatch  # noqa: E402
from workflows import ai_dispatch  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

MODEL = "bench-llm:latest"
SPEEDS = {"slow": 20.0, "medium": 40.0, "fast": 80.0}
SLOTS = 4
VICTIM = "medium"
RUN_TAG = uuid.uuid4().hex[:8]


@workflow.defn(sandboxed=False)
class OneChatWorkflow:
    """An AI node's worth of work: one chat through the routing door."""

    @workflow.run
    async def run(self, prompt: str) -> ChatResult:
        request = ChatRequest(model=MODEL, messages=[ChatMessage(role="user", content=prompt)])
        return await ai_dispatch.chat(request, AiRoute(), summary="bench chat")


class Host:
    """One agent: a fake Ollama in this process and its daemon in a child process."""

    def __init__(self, agent_id: str, fake: FakeOllama) -> None:
        self.agent_id = agent_id
        self.fake = fake
        self.process: subprocess.Popen[bytes] | None = None

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.fake.stop()


def _cluster(hosts: dict[str, Host]) -> dict[str, object]:
    agents = {
        agent_id: {
            "endpoint": host.fake.url,
            "models": [MODEL],
            "max_concurrent": SLOTS,
            "worker": "daemon",
        }
        for agent_id, host in hosts.items()
    }
    return {"hive": {"agents": agents}}


@contextlib.asynccontextmanager
async def _cluster_running(
    client: Client, args: argparse.Namespace, workdir: Path
) -> AsyncIterator[tuple[dict[str, Host], str]]:
    """Three hosts with their daemons polling, and a central worker for the bench workflow."""
    hosts: dict[str, Host] = {}
    for agent_id, speed in SPEEDS.items():
        fake = FakeOllama(FakeOllamaConfig(models=[MODEL], tokens_per_second=speed, reply_tokens=args.tokens))
        await asyncio.to_thread(fake.start)
        hosts[agent_id] = Host(agent_id, fake)
    config = workdir / "hive.yaml"
    config.write_text(yaml.safe_dump(_cluster(hosts)))
    cluster: ClusterConfig = parse_cluster_config(_cluster(hosts)["hive"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")} | {
        "HIVE_TEMPORAL__ADDRESS": client.service_client.config.target_host,
        "HIVE_WORKER__METRICS_PORT": "0",
        "HIVE_DATA_DIR": str(workdir),
        "HIVE_LOG_LEVEL": "WARNING",
    }
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        for agent_id, host in hosts.items():
            with open(workdir / f"{agent_id}.log", "ab") as log:
                host.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "hive_core.cli",
                        "worker",
                        "--agent",
                        agent_id,
                        "--config",
                        str(config),
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        deadline = time.monotonic() + 60
        for agent_id in hosts:
            await _wait_activity_pollers(client, agent_queue(agent_id), deadline)
        async with _central_worker(client, cluster, queue, args.plain):
            await wait_for_pollers(client, queue, deadline)
            yield hosts, queue
    finally:
        for host in hosts.values():
            if host.process is not None and host.process.poll() is None:
                host.process.send_signal(signal.SIGTERM)
                await asyncio.to_thread(host.process.wait)
            await asyncio.to_thread(host.fake.stop)


def _central_worker(client: Client, cluster: ClusterConfig, queue: str, plain: bool) -> Worker:
    """Hive's central worker (interpreter, nodes, routing), or a minimal one for --plain."""
    if not plain:
        settings = HiveSettings(
            temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
        )
        return build_central_worker(client, settings, cluster)
    routing = RoutingActivities(cluster, client)
    routed = LocalDispatch().activities(httpx.AsyncClient(), routing.resolve)  # routing, no local hosts
    return Worker(
        client,
        task_queue=queue,
        workflows=[OneChatWorkflow],
        activities=[routing.resolve, routing.live_pollers, routed.chat, routed.generate, routed.embed],
    )


async def _wait_activity_pollers(client: Client, queue: str, deadline: float) -> None:
    check = RoutingActivities(ClusterConfig(), client)
    while time.monotonic() < deadline:
        if (await check.live_pollers(QueuePollersInput(task_queue=queue))).identities:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"no agent daemon polls {queue}")


class Runner:
    """Starts one execution per prompt: an n8n Basic LLM Chain run, or the plain workflow."""

    def __init__(self, client: Client, queue: str, plain: bool) -> None:
        self.client = client
        self.queue = queue
        self.plain = plain
        self.plan = compile_export(chain_export(MODEL, "routing bench"))[0]

    async def run(self, prompt: str) -> None:
        if self.plain:
            await self.client.execute_workflow(
                OneChatWorkflow.run, prompt, id=_workflow_id(prompt), task_queue=self.queue
            )
            return
        snapshot = await self.client.execute_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=self.plan, trigger_items=[{"json": {"chatInput": prompt}}]),
            id=_workflow_id(prompt),
            task_queue=self.queue,
        )
        if snapshot.status is not ExecutionStatus.SUCCESS:
            raise RuntimeError(f"run {prompt!r} failed: {snapshot.error}")

    async def run_all(self, prompts: list[str]) -> dict[str, float]:
        """Every prompt's execution, all at once; when each finished."""
        finished: dict[str, float] = {}

        async def one(prompt: str) -> None:
            await self.run(prompt)
            finished[prompt] = time.monotonic()

        await asyncio.gather(*(one(p) for p in prompts))
        return finished


class BusyMeter:
    """Busy slot-time of each fake host: its in-flight generations, sampled every 10 ms."""

    def __init__(self, hosts: dict[str, Host]) -> None:
        self.hosts = hosts
        self.busy_s = dict.fromkeys(hosts, 0.0)
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            for agent_id, host in self.hosts.items():
                self.busy_s[agent_id] += host.fake.stats.in_flight * (now - last)
            last = now

    def __enter__(self) -> BusyMeter:
        self._task = asyncio.create_task(self._sample())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def _balance(client: Client, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    async with _cluster_running(client, args, workdir) as (hosts, queue):
        runner = Runner(client, queue, args.plain)
        with BusyMeter(hosts) as meter:
            started = time.monotonic()
            finished = await runner.run_all([f"task {n}" for n in range(args.runs)])
            wall = time.monotonic() - started
    figures = {"balance: completed": float(len(finished)), "balance: wall s": wall}
    for agent_id, speed in SPEEDS.items():
        figures[f"balance: tasks on {agent_id} ({speed:g} tok/s)"] = float(
            hosts[agent_id].fake.stats.completed
        )
    busy = sum(meter.busy_s.values())
    figures["balance: slot utilisation %"] = 100 * busy / (len(SPEEDS) * SLOTS * wall)
    return figures


def _workflow_id(prompt: str) -> str:
    return f"bench-{prompt.replace(' ', '-')}-{RUN_TAG}"


async def _retry_scheduled(client: Client, prompt: str) -> bool:
    """Whether the execution's LLM call is on a second attempt (or already done)."""
    description = await client.get_workflow_handle(_workflow_id(prompt)).describe()
    pending = description.raw_description.pending_activities
    return not pending or any(p.attempt >= 2 for p in pending)


def _prompts_seen(fake: FakeOllama) -> set[str]:
    seen = set()
    for body in list(fake.stats.bodies):
        for message in body.get("messages") or []:
            seen.add(str(message.get("content")))
    return seen


async def _failover(client: Client, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    async with _cluster_running(client, args, workdir) as (hosts, queue):
        runner = Runner(client, queue, args.plain)
        victim = hosts[VICTIM]
        others = [h for h in hosts.values() if h is not victim]
        prompts = [f"failover task {n}" for n in range(args.failover_runs)]
        run = asyncio.create_task(runner.run_all(prompts))
        # Kill once the victim has been busy for a while (mid-generation on every slot).
        while victim.fake.stats.completed < SLOTS:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
        on_victim = _prompts_seen(victim.fake)
        killed_at = time.monotonic()
        await asyncio.to_thread(victim.kill)
        # When Temporal gives up on each of the victim's calls (a new attempt is scheduled), and
        # when that attempt reaches another host.
        scheduled: dict[str, float] = {}
        elsewhere_at: dict[str, float] = {}
        while not run.done():
            elsewhere = set().union(*(_prompts_seen(h.fake) for h in others))
            for prompt in on_victim & elsewhere:
                elsewhere_at.setdefault(prompt, time.monotonic())
            for prompt in on_victim - scheduled.keys():
                if await _retry_scheduled(client, prompt):
                    scheduled[prompt] = time.monotonic()
            await asyncio.sleep(0.05)
        finished = await run
    # The victim's calls in flight at the kill are those that ran again on another host.
    stranded = set(elsewhere_at)
    nan = float("nan")
    return {
        "failover: completed": float(len(finished)),
        "failover: lost": float(len(prompts) - len(finished)),
        "failover: victim's in-flight calls": float(len(stranded)),
        "failover: detect s (kill → retry scheduled)": max(
            (scheduled[p] for p in stranded if p in scheduled), default=nan
        )
        - killed_at,
        "failover: first retry running elsewhere s": min(elsewhere_at.values(), default=nan) - killed_at,
        "failover: recover s (kill → all done elsewhere)": max((finished[p] for p in stranded), default=nan)
        - killed_at,
    }


async def _main(args: argparse.Namespace) -> dict[str, float]:
    env = await start_ephemeral_server()
    try:
        with tempfile.TemporaryDirectory(prefix="hive-routing-bench-") as tmp:
            figures = await _balance(env.client, args, Path(tmp))
            figures |= await _failover(env.client, args, Path(tmp))
    finally:
        await env.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=500, help="executions in the balance scenario")
    parser.add_argument("--failover-runs", type=int, default=120, help="executions in the failover one")
    parser.add_argument("--tokens", type=int, default=40, help="tokens per reply")
    parser.add_argument(
        "--plain", action="store_true", help="a bench-local one-chat workflow instead of the n8n chain"
    )
    add_baseline_args(parser)
    args = parser.parse_args()
    figures = asyncio.run(_main(args))
    report(figures, args, unit_width=52)
    targets = {
        "balance: slot utilisation %": ("≥", 90.0),
        "failover: detect s (kill → retry scheduled)": ("≤", 10.0),
        "failover: recover s (kill → all done elsewhere)": ("≤", 30.0),
        "failover: lost": ("≤", 0.0),
    }
    for key, (sense, bound) in targets.items():
        value = figures[key]
        ok = value >= bound if sense == "≥" else value <= bound
        print(f"target {key} {sense} {bound:g}: {'met' if ok else 'MISSED'} ({value:.2f})")


if __name__ == "__main__":
    main()
