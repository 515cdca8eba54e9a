"""A 5-task project with two dependency levels over 3 fake agents, against its critical path.

    plan ──► ui, api, db (in parallel, one agent each) ──► integrate

Every call takes the same time on its fake Ollama host (first-token latency + tokens at a fixed
rate). The critical path is three calls back to back, so no scheduler can finish sooner than
3 × one direct call: that is the lower bound. The project runs through `ProjectWorkflow` on a
real Temporal dev server (in memory), with a SQLite database, the central worker and one worker
per agent, exactly as `POST /api/projects` starts it.

    python bench/project_bench.py                 # table: median of --runs projects
    python bench/project_bench.py --latency 0.5   # slower "models"
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from temporalio.client import Client  # noqa: E402

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.config import parse_cluster_config  # noqa: E402
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async  # noqa: E402
from hive_core.projects import TaskSpec, plan_tasks, slot_limits  # noqa: E402
from hive_core.projects.models import ProjectRunInput  # noqa: E402
from hive_core.projects.service import ProjectRequest, create_project  # noqa: E402
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.project_run import ProjectWorkflow  # noqa: E402

MODEL = "llama3.2:latest"
AGENTS = {"alpha": "planning", "beta": "frontend", "gamma": "backend"}
TASKS = [
    TaskSpec(key="plan", title="Plan", capability="planning"),
    TaskSpec(key="ui", title="UI", capability="frontend", depends_on=["plan"]),
    TaskSpec(key="api", title="API", capability="backend", depends_on=["plan"]),
    TaskSpec(key="db", title="Schema", agent="alpha", depends_on=["plan"]),
    TaskSpec(key="ship", title="Integrate", agent="alpha", depends_on=["ui", "api", "db"]),
]
CRITICAL_PATH_CALLS = 3


async def _direct_ms(http: httpx.AsyncClient, url: str) -> float:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "Task: Plan"}], "stream": True}
    started = time.perf_counter()
    async with http.stream("POST", f"{url}/api/chat", json=body) as response:
        async for _ in response.aiter_lines():
            pass
    return (time.perf_counter() - started) * 1000


async def _main(args: argparse.Namespace) -> dict[str, float]:
    env = await start_ephemeral_server()
    data = Path(tempfile.mkdtemp(prefix="hive-project-bench-"))
    url = f"sqlite+aiosqlite:///{data / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    config = FakeOllamaConfig(
        models=[MODEL], first_token_latency=args.latency, tokens_per_second=args.tps, reply_tokens=args.tokens
    )
    queue = f"bench-projects-{uuid.uuid4().hex[:8]}"
    settings = HiveSettings(
        data_dir=data,
        temporal=TemporalSettings(task_queue=queue),
        database=DatabaseSettings(url=url),
        worker=WorkerSettings(metrics_port=0),
    )
    try:
        async with contextlib.AsyncExitStack() as stack, httpx.AsyncClient() as http:
            hosts = {name: stack.enter_context(FakeOllama(config)) for name in AGENTS}
            cluster = parse_cluster_config(
                {
                    "agents": {
                        name: {"endpoint": hosts[name].url, "models": [MODEL], "capabilities": [cap]}
                        for name, cap in AGENTS.items()
                    }
                }
            )
            for agent in cluster.agents.values():
                own = await Client.connect(
                    env.client.service_client.config.target_host, data_converter=env.client.data_converter
                )
                for worker in build_agent_workers(own, agent, settings, http):
                    await stack.enter_async_context(worker)
            await stack.enter_async_context(
                build_central_worker(env.client, settings, cluster, http, sessions)
            )
            direct = statistics.median([await _direct_ms(http, hosts["alpha"].url) for _ in range(5)])
            walls = []
            for run in range(args.runs + 1):  # the first run warms caches up and is not counted
                async with sessions() as session:
                    project = await create_project(
                        session, env.client, cluster, queue, ProjectRequest(name=f"bench-{run}", tasks=TASKS)
                    )
                started = time.perf_counter()
                await env.client.get_workflow_handle_for(
                    ProjectWorkflow.run, project.workflow_id or ""
                ).result()
                if run:
                    walls.append((time.perf_counter() - started) * 1000)
            # The planner's own cost, for the record (it runs in the API request).
            planned = plan_tasks(cluster, TASKS, [str(i) for i in range(len(TASKS))])
            ProjectRunInput(project_id="x", name="x", tasks=planned, slots=slot_limits(cluster, planned))
    finally:
        await engine.dispose()
        await env.shutdown()
    wall = statistics.median(walls)
    bound = CRITICAL_PATH_CALLS * direct
    return {
        "one direct call to a fake host (ms)": direct,
        "critical-path lower bound, 3 calls (ms)": bound,
        "5-task project, start to result (ms)": wall,
        "project / lower bound (x)": wall / bound,
        "Hive overhead per dependency level (ms)": (wall - bound) / CRITICAL_PATH_CALLS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=1.0, help="first-token latency of each call, s")
    parser.add_argument("--tps", type=float, default=200.0, help="tokens/s of the fake hosts")
    parser.add_argument("--tokens", type=int, default=100, help="tokens per reply")
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(_main(args)), args)


if __name__ == "__main__":
    main()
