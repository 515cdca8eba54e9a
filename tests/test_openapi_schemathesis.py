"""The API against its own OpenAPI document, with schemathesis: no 5xx, every answer as documented.

The app runs in-process (schemathesis' ASGI transport, lifespan included) on a SQLite database
of its own and the session's Temporal dev server, called with an admin key, a bounded number of
derandomized examples per operation. Checks: no server error, the response's status code, content
type and body match what the operation declares.

Not exercised, and why:
- WebSocket routes (they are not in the OpenAPI document; schemathesis speaks HTTP);
- the SSE stream's body (``text/event-stream`` has no JSON schema; its status codes still count);
- for ``import-from-n8n`` only the "no 5xx" check: it calls the n8n URL in the request, and an
  unreachable n8n is a documented 503.
Revoking the admin key the test uses is turned into revoking a disposable key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations that reach a host named in the request: every generated URL is unreachable, which the
# API answers with its documented 503 (tests/api_workflows covers the real import with a fake n8n).
UPSTREAM_OPERATIONS = {("POST", "/api/workflows/import-from-n8n")}


async def _new_admin_key(database_url: str, name: str) -> tuple[str, str]:
    """(id, secret) of a new admin key in the (migrated) database."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            new = await create_api_key(session, name=name, role=UserRole.ADMIN)
            return new.row.id, new.secret
    finally:
        await engine.dispose()


@dataclass
class Keys:
    """The admin key every case sends, and disposable ones to revoke instead of it."""

    database_url: str
    admin_id: str
    admin: str

    def disposable_id(self) -> str:
        # Called from a synchronous (hypothesis) test: no event loop is running here.
        return asyncio.run(_new_admin_key(self.database_url, "disposable"))[0]


@dataclass
class Target:
    keys: Keys
    app: FastAPI


@pytest.fixture(scope="module")
def target(temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The app on its own SQLite database and the session's Temporal, with an admin key."""
    data_dir: Path = tmp_path_factory.mktemp("schemathesis")
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host,
            # No worker polls it: started runs just wait, the API's answers are what is tested.
            task_queue="schemathesis-nobody-polls",
        ),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"),
        worker=WorkerSettings(metrics_port=0),
    )
    asyncio.run(upgrade_database_async(settings.database_url))
    admin_id, admin = asyncio.run(_new_admin_key(settings.database_url, "schemathesis"))
    # Rate limits are tested elsewhere; here every generated request must reach its route.
    cluster = parse_cluster_config({"security": {"api_rate_limit": 1_000_000}})
    yield Target(Keys(settings.database_url, admin_id, admin), create_app(settings, cluster))
    # schemathesis runs the app's lifespan on its own event loop thread; end it with the module.
    shutdown_lifespans()


@pytest.fixture(scope="module")
def keys(target: Target) -> Keys:
    return target.keys


@pytest.fixture(scope="module")
def api_schema(target: Target) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", target.app)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis' lazy loader reads `node._nodeid`, which pytest 9 no longer has (`nodeid` is
    # a property now); give it the attribute it reads so it can label each operation's subtest.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_openapi(case: schemathesis.Case, keys: Keys) -> None:
    if case.method == "DELETE" and case.path == "/api/keys/{key_id}":
        if case.path_parameters and case.path_parameters.get("key_id") == keys.admin_id:
            case.path_parameters["key_id"] = keys.disposable_id()
    if (case.method, case.path) in UPSTREAM_OPERATIONS:
        response = case.call_and_validate(headers={"X-API-Key": keys.admin}, checks=CHECKS[1:])
        assert response.status_code != 500, response.text
        return
    response = case.call_and_validate(headers={"X-API-Key": keys.admin}, checks=CHECKS)
    # 401 is documented everywhere, so it would pass the checks: make sure the key really works.
    if case.path != "/api/auth/login":
        assert response.status_code != 401, response.text
