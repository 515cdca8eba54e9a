"""Temporal unreachable: the stream is refused with 503 / close code 4503, never a hang or a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.app import create_app
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.live.clients import sse_events, ws_events
from tests.live.conftest import LiveApi, new_key, permissive_cluster
from tests.live.server import serve


@pytest.fixture(scope="module")
async def api_without_temporal(_database: tuple[Path, str]) -> AsyncIterator[LiveApi]:
    data_dir, url = _database
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=url),
    )
    key = await new_key(url, UserRole.VIEWER)
    with serve(create_app(settings, permissive_cluster())) as base_url:
        yield LiveApi(base_url, key)


async def test_engine_down(api_without_temporal: LiveApi) -> None:
    sse = await sse_events(api_without_temporal, "some-run")
    assert sse.status == 503
    ws = await ws_events(api_without_temporal, "some-run")
    assert ws.close_code == 4503 and ws.events == []
