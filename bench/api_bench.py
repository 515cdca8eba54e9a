"""Executions API latency under a bounded local load: `POST .../executions` and `GET /api/executions/{id}`.

A real stack: `temporal server start-dev` (in memory), `hive worker` and `hive api` (uvicorn) as
their own processes, SQLite in a temporary data dir, an operator key. The load generator (this
process) sends N requests with C in flight for each route and prints p50/p95/max latency and
throughput. The workflow is small (Manual Trigger → Set). The GETs read executions the POSTs
started (most of them finished by then), so each GET is a Temporal describe + result (or
query) plus the index upsert. `GET /api/auth/me` is measured too: the floor of any
authenticated route (key lookup and the rate-limit counter, both in the database).

    python bench/api_bench.py [--requests 200] [--concurrency 20] [--database-url URL]
                              [--save FILE] [--baseline FILE]
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.auth import create_api_key  # noqa: E402
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async  # noqa: E402
from hive_core.db.models import UserRole  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from hive_core.stack.ports import free_port  # noqa: E402
from hive_core.workflow_versions import compile_single, create_workflow  # noqa: E402

CONFIG = """hive:
  monitoring: {health_check_interval: 3600}
  security: {api_rate_limit: 1000000}
"""
WORKFLOW = {
    "id": "bench",
    "name": "bench",
    "nodes": [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0],
         "parameters": {}},
        {"name": "Greet", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
         "parameters": {"assignments": {"assignments": [
             {"name": "greeting", "value": "=Hello {{ $json.name }}", "type": "string"}]}}},
    ],
    "connections": {"Start": {"main": [[{"node": "Greet", "type": "main", "index": 0}]]}},
    "settings": {"executionOrder": "v1"},
}  # fmt: skip


async def _prepare(url: str) -> str:
    """Migrate the database, store the workflow, return an operator key."""
    await upgrade_database_async(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            source, plan = compile_single(WORKFLOW)
            await create_workflow(session, source, plan, created_by=None)
            key = await create_api_key(session, name="bench", role=UserRole.OPERATOR)
        return key.secret
    finally:
        await engine.dispose()


async def _load(
    requests: int, concurrency: int, send: Callable[[int], Awaitable[httpx.Response]], ok: set[int]
) -> dict[str, float]:
    """Send `requests` calls with at most `concurrency` in flight; latency figures in ms."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(i: int) -> None:
        async with gate:
            started = time.perf_counter()
            response = await send(i)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code not in ok:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")

    wall = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(requests)))
    elapsed = time.perf_counter() - wall
    latencies.sort()
    return {
        "p50 ms": statistics.median(latencies),
        "p95 ms": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "max ms": latencies[-1],
        "req/s": requests / elapsed,
    }


async def _wait_ready(http: httpx.AsyncClient, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("hive api exited during start-up")
        try:
            if (await http.get("/ready")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("hive api did not become ready within 60 s")


async def bench(requests: int, concurrency: int, database_url: str | None) -> dict[str, float]:
    env_server = await start_ephemeral_server()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            (data_dir / "hive.yaml").write_text(CONFIG)
            url = database_url or f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
            key = await _prepare(url)
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
            headers = {"X-API-Key": key}
            limits = httpx.Limits(max_connections=concurrency)
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits, timeout=60
            ) as http:
                await _wait_ready(http, processes[-1])
                ids: list[str] = []

                async def start(i: int) -> httpx.Response:
                    response = await http.post(
                        "/api/workflows/bench/executions", json={"input": {"name": f"n{i}"}}
                    )
                    if response.status_code == 201:
                        ids.append(response.json()["id"])
                    return response

                # Warm-up: first connections, worker caches, SQLite file.
                for i in range(5):
                    await start(-i)
                ids.clear()
                posted = await _load(requests, concurrency, start, {201})
                await asyncio.sleep(2)  # let most runs finish: GET then reads a closed run
                got = await _load(
                    requests,
                    concurrency,
                    lambda i: http.get(f"/api/executions/{ids[i % len(ids)]}"),
                    {200},
                )
                # The floor every route pays: authentication and the rate-limit counter.
                floor = await _load(requests, concurrency, lambda i: http.get("/api/auth/me"), {200})
        figures = {f"POST /api/workflows/{{id}}/executions {k}": v for k, v in posted.items()}
        figures |= {f"GET /api/executions/{{id}} {k}": v for k, v in got.items()}
        figures |= {f"GET /api/auth/me (auth only) {k}": v for k, v in floor.items()}
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
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--database-url", help="an empty database for Hive (default: SQLite in a temporary directory)"
    )
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(bench(args.requests, args.concurrency, args.database_url)), args, unit_width=50)


if __name__ == "__main__":
    main()
