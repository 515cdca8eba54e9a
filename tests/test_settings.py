"""Settings come from HIVE_* env vars (nested with __), never at import time."""

from __future__ import annotations

from pathlib import Path

import pytest

from hive_core.cli.common import build_settings
from hive_core.settings import HiveSettings


def test_env_nested(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HIVE_TEMPORAL__ADDRESS", "temporal:7233")
    monkeypatch.setenv("HIVE_API__PORT", "9000")
    monkeypatch.setenv("HIVE_DATA_DIR", str(tmp_path))
    settings = HiveSettings()
    assert settings.temporal.target == "temporal:7233"
    assert settings.api.port == 9000
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'hive.db'}"


def test_default_temporal_target_and_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIVE_DATABASE__URL", "postgresql+asyncpg://u@h/db")
    settings = HiveSettings()
    assert settings.temporal.target == "127.0.0.1:7233"
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_flags_override_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIVE_API__PORT", "9000")
    monkeypatch.setenv("HIVE_TEMPORAL__UI_PORT", "9001")
    settings = build_settings(api__port=9100, temporal__port=None, data_dir=Path("/tmp/x"))
    assert settings.api.port == 9100
    assert settings.temporal.ui_port == 9001
    assert settings.data_dir == Path("/tmp/x")
