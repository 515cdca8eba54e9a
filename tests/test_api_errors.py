"""The one error shape of the API: Hive errors, request validation, routing errors, and 503 when
Temporal cannot be reached (an app pointed at an address where nothing listens)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from hive_core.workflow_store import import_workflows
from tests.builders import chain, node
from tests.test_api import api_client

HOOK = {**chain("hook", [node("Hook", "webhook", 2, httpMethod="POST", path="dead-engine")]), "id": "hook"}
SCHEDULED = {
    **chain(
        "scheduled", [node("Every hour", "scheduleTrigger", 1.2, rule={"interval": [{"field": "hours"}]})]
    ),
    "id": "scheduled",
}


@pytest.fixture
async def dead_engine_api(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """The API on a fresh SQLite database, its Temporal address pointing at a closed port."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:  # import_workflows commits itself
        await import_workflows(session, [HOOK], activate=True)
        await import_workflows(session, [SCHEDULED], activate=False)
        key = (await create_api_key(session, name="ops", role=UserRole.ADMIN)).secret
        await session.commit()
    await engine.dispose()
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=url),
    )
    async with api_client(create_app(settings, ClusterConfig())) as http:
        yield http, key


def _error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert isinstance(error["type"], str) and isinstance(error["message"], str)
    return error


async def test_temporal_unreachable_is_503_with_a_json_error(
    dead_engine_api: tuple[httpx.AsyncClient, str],
) -> None:
    http, key = dead_engine_api
    # A webhook starts a run: the client's first connect fails.
    hooked = await http.post("/webhook/dead-engine", json={"a": 1})
    assert hooked.status_code == 503, hooked.text
    error = _error(hooked)
    assert error["type"] == "EngineUnavailableError" and "Temporal" in error["message"]
    # Activating a scheduled workflow must create its Temporal Schedule: 503, nothing committed.
    activated = await http.post("/api/workflows/scheduled/activate", headers={"X-API-Key": key})
    assert activated.status_code == 503, activated.text
    assert _error(activated)["type"] == "EngineUnavailableError"
    still = await http.get("/api/workflows/scheduled", headers={"X-API-Key": key})
    assert still.json()["active"] is False
    # Routes that do not need Temporal keep working.
    assert (await http.get("/api/agents", headers={"X-API-Key": key})).status_code == 200


async def test_request_validation_is_422_in_hive_shape(
    dead_engine_api: tuple[httpx.AsyncClient, str],
) -> None:
    http, key = dead_engine_api
    response = await http.get(
        "/api/alerts", params={"limit": 0, "severity": "loud"}, headers={"X-API-Key": key}
    )
    assert response.status_code == 422
    error = _error(response)
    assert error["type"] == "ValidationError"
    assert {(p["in"], p["field"]) for p in error["errors"]} == {("query", "limit"), ("query", "severity")}
    assert error["message"].startswith("invalid request: ")

    missing = await http.post("/api/keys", json={"role": "viewer"}, headers={"X-API-Key": key})
    assert missing.status_code == 422
    assert [(p["in"], p["field"]) for p in _error(missing)["errors"]] == [("body", "name")]

    # A body that is not even text is invalid input too (FastAPI's own answer would be 400).
    garbled = await http.post(
        "/api/keys",
        content=b"\xff\xfe{",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    assert garbled.status_code == 422 and _error(garbled)["type"] == "ValidationError"


async def test_routing_errors_and_hive_errors_share_the_shape(
    dead_engine_api: tuple[httpx.AsyncClient, str],
) -> None:
    http, key = dead_engine_api
    unknown = await http.get("/api/no-such-thing", headers={"X-API-Key": key})
    assert unknown.status_code == 404 and _error(unknown)["type"] == "NotFoundError"
    wrong_method = await http.put("/health")
    assert wrong_method.status_code == 405 and _error(wrong_method)["type"] == "MethodNotAllowedError"
    assert "GET" in wrong_method.headers["allow"]
    missing = await http.get("/api/workflows/nope", headers={"X-API-Key": key})
    assert missing.status_code == 404 and _error(missing)["type"] == "NotFoundError"
    duplicate = {"id": "oak", "endpoint": "http://oak:11434", "model": "m"}
    assert (await http.post("/api/agents", json=duplicate, headers={"X-API-Key": key})).status_code == 201
    conflict = await http.post("/api/agents", json=duplicate, headers={"X-API-Key": key})
    assert conflict.status_code == 409 and _error(conflict)["type"] == "ConflictError"


def test_the_openapi_document_declares_hive_s_422_body() -> None:
    spec = create_app(HiveSettings(), ClusterConfig()).openapi()
    body = spec["components"]["schemas"]["HTTPValidationError"]
    assert body["required"] == ["error"] and "errors" in body["properties"]["error"]["properties"]
