"""`hive api --local-model URL` (what `hive up --local-model` runs): the API lists the `local` agent."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
from temporalio.testing import WorkflowEnvironment

from hive_core.db import upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.local_model import LOCAL_AGENT_ID, LOCAL_MODEL
from hive_core.stack.ports import free_port
from tests.health.test_agents_api import new_key

REPO = Path(__file__).resolve().parents[2]


async def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    async with httpx.AsyncClient(timeout=1) as http:
        for _ in range(int(timeout_s / 0.1)):
            assert process.poll() is None, "hive api exited during start-up"
            try:
                if (await http.get(f"{url}/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"hive api not healthy at {url}")


async def test_hive_api_with_a_local_model_lists_the_local_agent(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    config = tmp_path / "hive.yaml"
    config.write_text(
        "hive:\n  agents:\n    walnut:\n      endpoint: http://walnut:11434\n      model: llama3.2\n"
    )
    data_dir = tmp_path / "data"
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(address=temporal_env.client.service_client.config.target_host),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"),
    )
    await upgrade_database_async(settings.database_url)
    key = await new_key(settings, UserRole.VIEWER, "viewer")
    model_url, port = f"http://127.0.0.1:{free_port()}", free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    env |= {"HIVE_TEMPORAL__ADDRESS": settings.temporal.target, "HIVE_DATABASE__URL": settings.database_url}
    argv = ["api", "--config", str(config), "--data-dir", str(data_dir), "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "hive_core.cli", *argv, "--local-model", model_url],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, process)
        async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}) as http:
            views = (await http.get("/api/agents")).json()
            local = (await http.get(f"/api/agents/{LOCAL_AGENT_ID}")).json()
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert [(v["agent"]["id"], v["source"]) for v in views] == [
        ("walnut", "config"),
        (LOCAL_AGENT_ID, "config"),
    ]
    agent = local["agent"]
    assert (agent["endpoint"], agent["models"], agent["max_concurrent"]) == (model_url, [LOCAL_MODEL], 1)
