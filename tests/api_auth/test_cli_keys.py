"""`hive keys create` in a subprocess: the key is on the last line and works against the API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from api.app import create_app
from hive_core.config import ClusterConfig
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.test_api import api_client


def _hive(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    return subprocess.run(
        [sys.executable, "-m", "hive_core.cli", *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _me(settings: HiveSettings, key: str) -> httpx.Response:
    async with api_client(create_app(settings, ClusterConfig())) as http:
        return await http.get("/api/auth/me", headers={"Authorization": f"Bearer {key}"})


def _temporal() -> TemporalSettings:
    return TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1)


async def test_keys_create_with_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"  # does not exist yet: the command creates and migrates it
    result = _hive("keys", "create", "--role", "admin", "--name", "ops", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("hive_") and " " not in key

    # The API built from the same data dir (the default SQLite file, as `hive up` uses) accepts it.
    response = await _me(HiveSettings(data_dir=data_dir, temporal=_temporal()), key)
    assert response.status_code == 200
    assert response.json()["role"] == "admin" and response.json()["actor"] == "key:ops"

    listed = _hive("keys", "list", "--data-dir", str(data_dir))
    assert listed.returncode == 0 and "ops" in listed.stdout and key not in listed.stdout
    key_id = listed.stdout.split()[0]
    assert _hive("keys", "revoke", key_id, "--data-dir", str(data_dir)).returncode == 0
    assert (await _me(HiveSettings(data_dir=data_dir, temporal=_temporal()), key)).status_code == 401


async def test_keys_create_with_database_url_from_env(database_url: str, tmp_path: Path) -> None:
    result = _hive(
        "keys", "create", "--role", "viewer", "--expires-days", "1", env={"HIVE_DATABASE__URL": database_url}
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    settings = HiveSettings(
        data_dir=tmp_path, temporal=_temporal(), database=DatabaseSettings(url=database_url)
    )
    response = await _me(settings, key)
    assert response.status_code == 200 and response.json()["role"] == "viewer"


def test_bad_role_is_a_usage_error(tmp_path: Path) -> None:
    result = _hive("keys", "create", "--role", "root", "--data-dir", str(tmp_path))
    assert result.returncode == 2
