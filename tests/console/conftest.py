"""A console stack per test: stored workflows, fake Ollama + its agent's workers, the central
worker and the API on a real uvicorn (the browser needs a real server), keys per role, a user."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.auth.users import create_user
from hive_core.config import parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from hive_core.workflow_store import import_workflows
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.live.server import serve
from tests.loopback import JsonHandler
from tests.loopback import serve as serve_http
from workers.factory import build_agent_workers, build_central_worker

PASSWORD = "correct horse battery staple"
EMAIL = "ada@example.com"


@dataclass
class Gate:
    """A loopback HTTP endpoint that answers only once released (a node that runs visibly)."""

    url: str
    released: threading.Event = field(default_factory=threading.Event)


@dataclass
class ConsoleStack:
    url: str
    keys: dict[UserRole, str]
    workflow_ids: dict[str, str]
    model: str
    agent_id: str
    gate: Gate
    artifacts: Path
    data_dir: Path

    def api(self, role: UserRole = UserRole.OPERATOR) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, headers={"X-API-Key": self.keys[role]}, timeout=30)

    async def start(self, workflow: str, data: Any = None) -> str:
        """Start a stored workflow through the API; its execution id."""
        async with self.api() as http:
            answer = await http.post(
                f"/api/workflows/{self.workflow_ids[workflow]}/executions", json={"input": data}
            )
            assert answer.status_code == 201, answer.text
            return str(answer.json()["id"])


StackFactory = Callable[..., contextlib.AbstractAsyncContextManager[ConsoleStack]]


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Screenshots go to `.artifacts/console/<test>/` (gitignored), kept after the run."""
    path = Path(__file__).resolve().parents[2] / ".artifacts" / "console" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _gate_server() -> Iterator[Gate]:
    released = threading.Event()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            released.wait(timeout=60)
            self.reply_json(200, {"answer": 42})

    with serve_http(Handler) as url:
        yield Gate(url=url, released=released)
        released.set()


@pytest.fixture
def console_stack(client: Client, task_queue: str, tmp_path: Path, artifacts: Path) -> StackFactory:
    """``async with console_stack(lambda gate_url, model: [workflows]) as stack``."""

    @contextlib.asynccontextmanager
    async def start(build: Callable[[str, str], list[dict[str, Any]]]) -> AsyncIterator[ConsoleStack]:
        model = f"m{uuid.uuid4().hex[:6]}:latest"
        url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
        await upgrade_database_async(url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        keys: dict[UserRole, str] = {}
        with _gate_server() as gate:
            async with sessions() as session:
                stored = await import_workflows(session, build(gate.url, model), activate=True)
                ids = {row.name: row.id for row in stored}
                for role in UserRole:
                    keys[role] = (await create_api_key(session, name=role.value, role=role)).secret
                await create_user(session, email=EMAIL, password=PASSWORD, role=UserRole.APPROVER)
                await session.commit()
            async with FakeOllama(FakeOllamaConfig(models=[model], tokens_per_second=20000)) as fake:
                agent_id = f"gpu-{uuid.uuid4().hex[:6]}"
                cluster = parse_cluster_config(
                    {
                        "agents": {agent_id: {"name": "gpu", "endpoint": fake.url, "models": [model]}},
                        "security": {"require_approval": True, "api_rate_limit": 100_000},
                    }
                )
                settings = HiveSettings(
                    data_dir=tmp_path,
                    temporal=TemporalSettings(
                        address=client.service_client.config.target_host, task_queue=task_queue
                    ),
                    database=DatabaseSettings(url=url),
                    worker=WorkerSettings(metrics_port=0),
                )
                async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
                    for worker in build_agent_workers(client, cluster.agents[agent_id], settings, http):
                        await stack.enter_async_context(worker)
                    central = build_central_worker(
                        client, settings, cluster=cluster, http=http, sessions=sessions
                    )
                    await stack.enter_async_context(central)
                    with serve(create_app(settings, cluster)) as base_url:
                        yield ConsoleStack(base_url, keys, ids, model, agent_id, gate, artifacts, tmp_path)
        await engine.dispose()

    return start
