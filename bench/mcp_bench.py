"""What an MCP tool call costs over the REST door: the same 2-node workflow run to its result.

A real stack, as `bench/api_bench.py`: `temporal server start-dev` (in memory), `hive worker`
and `hive api` as their own processes, SQLite, an operator key. Sequential calls (one in flight),
each waiting for the run's output:

- MCP `tools/call` over streamable HTTP at `/mcp` (one session, the SDK's client): start +
  per-node progress polling + result;
- REST: `POST /api/workflows/{id}/executions`, then `GET /api/executions/{id}` every 50 ms
  until the run is final (what a script without MCP does);
- MCP `tools/list` (the active workflows read from the database).

    python bench/mcp_bench.py [--calls 30] [--save FILE] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mcp import Client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared._httpx_utils import create_mcp_http_client  # noqa: E402

from bench._table import add_baseline_args, report  # noqa: E402
from bench.api_bench import CONFIG, _prepare  # noqa: E402
from hive_core.db import create_engine, create_sessionmaker  # noqa: E402
from hive_core.db.models import Workflow  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from hive_core.stack.ports import free_port  # noqa: E402

FINAL = {"success", "error", "canceled", "terminated"}
# Start-up on a loaded 2-core machine (imports alone can take half a minute there).
READY_TIMEOUT_S = 240


async def _wait_ready(http: httpx.AsyncClient, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("hive api exited during start-up")
        try:
            if (await http.get("/ready")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit(f"hive api did not become ready within {READY_TIMEOUT_S} s")


async def _activate(url: str) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            workflow = await session.get(Workflow, "bench")
            assert workflow is not None
            workflow.active = True
    finally:
        await engine.dispose()


async def _timed(calls: int, once: Callable[[int], Awaitable[None]]) -> dict[str, float]:
    for i in range(3):  # warm-up
        await once(-i)
    latencies = []
    for i in range(calls):
        started = time.perf_counter()
        await once(i)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "p50 ms": statistics.median(latencies),
        "p95 ms": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "max ms": latencies[-1],
    }


async def bench(calls: int) -> dict[str, float]:
    env_server = await start_ephemeral_server()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            (data_dir / "hive.yaml").write_text(CONFIG)
            url = f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
            key = await _prepare(url)
            await _activate(url)
            port = free_port()
            env = {
                **os.environ,
                "HIVE_TEMPORAL__ADDRESS": env_server.client.service_client.config.target_host,
                "HIVE_WORKER__METRICS_PORT": "0",
                "HIVE_LOG_LEVEL": "WARNING",
                "HIVE_DATABASE__URL": url,
            }
            common = ["--config", str(data_dir / "hive.yaml"), "--data-dir", str(data_dir)]
            for argv in (["worker", *common], ["api", *common, "--port", str(port)]):
                processes.append(
                    subprocess.Popen([sys.executable, "-m", "hive_core.cli", *argv], cwd=REPO, env=env)
                )
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=60) as http:
                await _wait_ready(http, processes[-1])

                async def rest(i: int) -> None:
                    started = await http.post("/api/workflows/bench/executions", json={"input": {"name": i}})
                    execution = started.json()["id"]
                    while (await http.get(f"/api/executions/{execution}")).json()["status"] not in FINAL:
                        await asyncio.sleep(0.05)

                rest_figures = await _timed(calls, rest)
            async with (
                create_mcp_http_client(headers={"X-API-Key": key}) as mcp_http,
                Client(streamable_http_client(f"{base}/mcp", http_client=mcp_http)) as client,
            ):

                async def call(i: int) -> None:
                    result = await client.call_tool("bench", {"name": f"n{i}"})
                    if result.is_error:
                        raise SystemExit(f"tool call failed: {result.content}")

                async def list_(_: int) -> None:
                    await client.list_tools()

                call_figures = await _timed(calls, call)
                list_figures = await _timed(calls, list_)
        figures = {f"MCP tools/call (run to output) {k}": v for k, v in call_figures.items()}
        figures |= {f"REST start + poll to final {k}": v for k, v in rest_figures.items()}
        figures |= {f"MCP tools/list {k}": v for k, v in list_figures.items()}
        return figures
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        await env_server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=30)
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(bench(args.calls)), args, unit_width=44)


if __name__ == "__main__":
    main()
