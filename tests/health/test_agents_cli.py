"""`hive agents` as a user runs it: a subprocess reading the database + hive.yaml, or a live API."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
import yaml
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.config import load_cluster_config
from hive_core.db.models import UserRole
from hive_core.monitoring.payloads import ProbeOutcome
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.health.test_agents_api import new_key, store_check, walnut_probe

REPO = Path(__file__).resolve().parents[2]


def _hive(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    return subprocess.run(
        [sys.executable, "-m", "hive_core.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@contextmanager
def serve(settings: HiveSettings, config: Path) -> Iterator[str]:
    """The real API on uvicorn in a thread, on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, load_cluster_config(config)), port=port, log_config=None)
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("API did not start")
        threading.Event().wait(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def test_hive_agents_table(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    config = tmp_path / "hive.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "hive": {
                    "agents": {
                        "walnut": {"endpoint": "http://walnut:11434", "models": ["llama3.2", "qwen3:8b"]},
                        "oak": {"endpoint": "http://oak:11434", "model": "mistral"},
                        "elm": {"endpoint": "http://elm:11434", "model": "phi4", "enabled": False},
                    }
                }
            },
            sort_keys=False,
        )
    )
    data_dir = tmp_path / "data"
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(address=temporal_env.client.service_client.config.target_host),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"),
    )
    not_migrated = await asyncio.to_thread(
        _hive, "agents", "--data-dir", str(data_dir), "--config", str(config)
    )
    assert not_migrated.returncode == 1 and "hive db upgrade" in not_migrated.stderr

    from hive_core.db import upgrade_database_async

    await upgrade_database_async(settings.database_url)
    cluster = load_cluster_config(config)
    await store_check(settings, cluster, [walnut_probe(), ProbeOutcome(agent_id="oak", error="no worker")])

    done = await asyncio.to_thread(_hive, "agents", "--data-dir", str(data_dir), "--config", str(config))
    assert done.returncode == 0, done.stderr
    header, walnut, oak, elm = done.stdout.splitlines()
    assert header.split() == ["ID", "ENDPOINT", "MODELS", "STATUS", "IN-FLIGHT", "TOK/S", "LAST", "SEEN"]
    assert walnut.split()[:6] == [
        "walnut",
        "http://walnut:11434",
        "llama3.2:latest,qwen3:8b",
        "up",
        "1",
        "42.5",
    ]
    assert walnut.endswith("s ago")
    assert oak.split() == ["oak", "http://oak:11434", "mistral:latest", "down", "-", "-", "never"]
    assert elm.split()[3] == "disabled"
    # Columns line up: every row's status starts where the header's does.
    assert {row.index(row.split()[3]) for row in (walnut, oak, elm)} == {header.index("STATUS")}

    viewer = await new_key(settings, UserRole.VIEWER, "viewer")
    with serve(settings, config) as url:
        via_api = await asyncio.to_thread(_hive, "agents", "--api", url, "--api-key", viewer)
        anonymous = await asyncio.to_thread(_hive, "agents", "--api", url)
    assert via_api.returncode == 0, via_api.stderr
    assert anonymous.returncode == 2 and "--api-key" in anonymous.stderr
    # The same table; only "N s ago" may have moved on.
    last_seen = header.index("LAST SEEN")
    assert [row[:last_seen] for row in via_api.stdout.splitlines()] == [
        row[:last_seen] for row in done.stdout.splitlines()
    ]

    unreachable = await asyncio.to_thread(_hive, "agents", "--api", f"http://127.0.0.1:{free_port()}")
    assert unreachable.returncode == 1 and "cannot reach the Hive API" in unreachable.stderr
