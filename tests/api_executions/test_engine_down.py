"""With Temporal unreachable, execution routes answer 503 and nothing is left in the index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.app import create_app
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.api_auth.conftest import auth, cluster_with
from tests.test_api import api_client

from .conftest import greet_nodes


async def test_routes_answer_503_when_temporal_is_down(
    migrated_url: str, tmp_path: Path, make_key: Callable[..., Any]
) -> None:
    from tests.builders import chain

    operator = auth(await make_key(UserRole.OPERATOR))
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=migrated_url),
    )
    async with api_client(create_app(settings, cluster_with(api_rate_limit=10_000))) as http:
        created = await http.post(
            "/api/workflows", json={**chain("down", greet_nodes()), "id": "down"}, headers=operator
        )
        assert created.status_code == 201, created.text
        started = await http.post("/api/workflows/down/executions", json={}, headers=operator)
        assert started.status_code == 503, started.text
        assert started.json()["error"]["type"] == "EngineUnavailableError"
        # The row written before the start was removed: no phantom execution.
        assert (await http.get("/api/executions", headers=operator)).json()["total"] == 0
        for method, path in (
            ("GET", "/api/executions/hive-exec-x"),
            ("POST", "/api/executions/hive-exec-x/cancel"),
        ):
            response = await http.request(method, path, headers=operator)
            assert response.status_code == 503, (path, response.text)
