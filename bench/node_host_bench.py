"""Cost of a node-host step: the same chain of Set nodes run natively, on the n8n node host, and
in real n8n's own engine.

Runs a real `temporal server start-dev` (in memory), Hive's central worker in this process and one
node host process (`node node_host/src/main.js`). Reports the per-node cost of a node-host step (a
regular activity on another task queue) against a native local-activity step and against the
same workflow JSON run the same number of times by n8n-core's WorkflowExecute in memory in one
Node process (`node_host/scripts/n8n_engine_bench.js`: n8n 1.123.81's packages, no Temporal, no
database), the node host's cold start (process start → polling) and its memory.

    python bench/node_host_bench.py [--runs 10] [--nodes 10] [--save FILE] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.node_host.process import NODE_HOST_DIR, NodeHostLaunch, ensure_installed, find_node  # noqa: E402
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from n8n_import import CompileOptions, compile_export  # noqa: E402
from workers.factory import build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402


def chain_of_sets(count: int) -> dict[str, Any]:
    names = ["Start"] + [f"Set {i}" for i in range(count)]
    nodes: list[dict[str, Any]] = [
        {
            "name": "Start",
            "type": "n8n-nodes-base.manualTrigger",
            "typeVersion": 1,
            "position": [0, 0],
            "parameters": {},
        }
    ]
    for i in range(count):
        assignment = {"id": str(i), "name": f"f{i}", "value": f"={{{{ {i} + 1 }}}}", "type": "number"}
        nodes.append(
            {
                "name": f"Set {i}",
                "type": "n8n-nodes-base.set",
                "typeVersion": 3.4,
                "position": [i + 1, 0],
                "parameters": {
                    "assignments": {"assignments": [assignment]},
                    "includeOtherFields": True,
                    "options": {},
                },
            }
        )
    connections = {
        a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
        for a, b in zip(names, names[1:], strict=False)
    }
    return {
        "name": "node host bench",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


def start_node_host(launch: NodeHostLaunch) -> tuple[subprocess.Popen[str], float]:
    runtime = find_node()
    if runtime is None:
        raise SystemExit("Node.js >= 20 is required")
    ensure_installed(runtime)
    ready = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(launch.command(runtime), env=launch.env(), stderr=subprocess.PIPE, text=True)

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if " ready in " in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(120):
        proc.kill()
        raise SystemExit("node host did not start")
    return proc, time.perf_counter() - started


def n8n_engine(workflow: dict[str, Any], runs: int) -> dict[str, float]:
    """The workflow in n8n's own engine in memory: {first_ms, median_ms, rss_mib, ...}."""
    runtime = find_node()
    assert runtime is not None
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(workflow, file)
        file.flush()
        done = subprocess.run(
            [runtime.node, str(NODE_HOST_DIR / "scripts" / "n8n_engine_bench.js"), file.name, str(runs)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--nodes", type=int, default=10)
    add_baseline_args(parser)
    args = parser.parse_args()
    env = await start_ephemeral_server()
    queue, node_queue = f"bench-{uuid.uuid4().hex[:6]}", f"bench-nodes-{uuid.uuid4().hex[:6]}"
    wf = chain_of_sets(args.nodes)
    native = compile_export(wf, CompileOptions(node_host_queue=node_queue))[0]
    hosted = compile_export(
        wf, CompileOptions(node_host_queue=node_queue, force_types=frozenset({"n8n-nodes-base.set"}))
    )[0]
    with tempfile.TemporaryDirectory() as data_dir:
        launch = NodeHostLaunch(
            temporal_address=env.client.service_client.config.target_host,
            task_queue=node_queue,
            data_dir=Path(data_dir),
        )
        proc, cold_s = start_node_host(launch)
        rss_idle = rss_mib(proc.pid)
        settings = HiveSettings(
            temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
        )
        timings: dict[str, list[float]] = {"native": [], "hosted": []}
        try:
            async with build_central_worker(env.client, settings):
                for run in range(args.runs + 1):  # the first run loads the node files and warms V8
                    for key, plan in (("native", native), ("hosted", hosted)):
                        started = time.perf_counter()
                        result = await env.client.execute_workflow(
                            N8nWorkflow.run,
                            RunN8nInput(plan=plan),
                            id=f"bench-{uuid.uuid4()}",
                            task_queue=queue,
                        )
                        assert result.status is ExecutionStatus.SUCCESS, result.error
                        if run:
                            timings[key].append((time.perf_counter() - started) * 1000)
            rss_after = rss_mib(proc.pid)
        finally:
            proc.kill()
            proc.wait()
    await env.shutdown()
    engine = n8n_engine(wf, args.runs)
    t_native, t_hosted = statistics.median(timings["native"]), statistics.median(timings["hosted"])
    t_n8n = engine["median_ms"]
    report(
        {
            f"{args.nodes} native Set nodes (local activities), end to end (ms)": t_native,
            f"{args.nodes} Set nodes on the node host, end to end (ms)": t_hosted,
            f"{args.nodes} Set nodes in n8n's own engine (WorkflowExecute, in memory) (ms)": t_n8n,
            "per node, native local activity step (ms)": t_native / args.nodes,
            "per node, node-host step (ms)": t_hosted / args.nodes,
            "per node, n8n's own engine (ms)": t_n8n / args.nodes,
            "node-host step overhead vs native, per node (ms)": (t_hosted - t_native) / args.nodes,
            "node-host step overhead vs n8n's engine, per node (ms)": (t_hosted - t_n8n) / args.nodes,
            "node host cold start, process start to polling (s)": cold_s,
            "node host RSS idle (MiB)": rss_idle,
            "node host RSS after the runs (MiB)": rss_after,
            "n8n's engine process RSS after the runs (MiB)": engine["rss_mib"],
        },
        args,
        unit_width=72,
    )


if __name__ == "__main__":
    asyncio.run(main())
