"""What the kill soak runs on: a counting HTTP server, the soak's workflows, a stack of processes.

- `CallCounter`: a threaded HTTP server answering `GET /call/<run>/<node>` after `CALL_S`; it
  counts the calls per (run, node) and knows which are in flight, so the soak can tell a repeat
  caused by a kill (the call was in flight) from one that must not happen.
- `soak_workflows`: Trigger → Code → HTTP A → Code → Wait 1 s → HTTP B → sub-workflow (HTTP C)
  → Code → Basic LLM Chain (fake Ollama) → HTTP Z, once with a Manual Trigger (REST starts) and
  once with a Webhook (`POST /webhook/soak`).
- `SoakStack`: the Temporal dev server on a file database, `hive api` and two `hive worker`
  processes, each in its own process group so that SIGKILL takes exactly that process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client

from hive_core.auth import create_api_key
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import TemporalSettings
from hive_core.stack.dev_server import dev_server_argv
from hive_core.stack.ports import free_port
from hive_core.stack.processes import ManagedProcess
from hive_core.temporal import connect_temporal
from hive_core.workflow_store import import_workflows
from tests.loopback import JsonHandler

REPO = Path(__file__).resolve().parents[1]
CALL_S = 0.3  # each HTTP call takes this long, as in the soak
CALLS = ("A", "B", "C", "Z")  # the HTTP calls every execution makes once
MODEL = "llama3.2"
# How long after a call's answer its worker may still be reporting the node's activity done.
COMPLETION_GRACE_S = 1.0


@dataclass
class CallCounter:
    """Calls per (run, node), and the calls in flight right now."""

    url: str = ""
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    in_flight: Counter[tuple[str, str]] = field(default_factory=Counter)
    # When each call last answered (time.monotonic()).
    answered: dict[tuple[str, str], float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot_in_flight(self, grace_s: float = COMPLETION_GRACE_S) -> set[tuple[str, str]]:
        """Calls running now, and those answered in the last ``grace_s``: for the node, a call is
        in flight until its worker has reported the activity complete, just after the answer."""
        now = time.monotonic()
        with self.lock:
            running = {key for key, n in self.in_flight.items() if n > 0}
            return running | {key for key, at in self.answered.items() if now - at < grace_s}


def start_counter() -> tuple[CallCounter, ThreadingHTTPServer]:
    state = CallCounter()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = self.path.strip("/").split("/")
            if len(parts) != 3 or parts[0] != "call":
                self.send_error(404)
                return
            key = (parts[1], parts[2])
            with state.lock:
                state.counts[key] += 1
                state.in_flight[key] += 1
                count = state.counts[key]
            try:
                time.sleep(CALL_S)
                self.reply_json(200, {"run": key[0], "node": key[1], "count": count})
            except OSError:
                pass  # the caller died meanwhile (a killed worker)
            finally:
                with state.lock:
                    state.in_flight[key] -= 1
                    state.answered[key] = time.monotonic()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server


def _node(name: str, kind: str, version: float, x: int, **parameters: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "typeVersion": version, "position": [x, 0], "parameters": parameters}


def _http(name: str, x: int, url: str, run: str = "$json.run") -> dict[str, Any]:
    return _node(
        name, "n8n-nodes-base.httpRequest", 4.2, x, url=f"={url}/call/{{{{ {run} }}}}/{name[-1]}", options={}
    )


def _code(name: str, x: int, js: str) -> dict[str, Any]:
    return _node(name, "n8n-nodes-base.code", 2, x, jsCode=js)


def _chain(
    workflow_id: str, nodes: list[dict[str, Any]], sub_nodes: tuple[dict[str, Any], ...] = (), **extra: Any
) -> dict[str, Any]:
    """``nodes`` connected in a line; ``sub_nodes`` (an AI model) wired only by ``extra`` connections."""
    main = [n["name"] for n in nodes]
    connections: dict[str, Any] = {
        a: {"main": [[{"node": b, "type": "main", "index": 0}]]} for a, b in zip(main, main[1:], strict=False)
    }
    connections.update(extra)
    return {"id": workflow_id, "name": workflow_id, "nodes": [*nodes, *sub_nodes], "connections": connections,
            "settings": {"executionOrder": "v1"}}  # fmt: skip


def soak_workflows(url: str) -> list[dict[str, Any]]:
    """The child, the REST-started parent `soak` and the webhook-started `soak-hook`."""
    lc = "@n8n/n8n-nodes-langchain."
    child = _chain("soak-child", [
        _node("In", "n8n-nodes-base.executeWorkflowTrigger", 1.1, 0),
        _http("Call C", 200, url),
    ])  # fmt: skip

    def body(trigger: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            trigger,
            _code("Norm", 100, "const j = $json.body ?? $json; return [{json: {run: j.run}}];"),
            _http("Call A", 200, url),
            _code("Mark", 300, "return $input.all().map(i => ({json: {...i.json, marked: true}}));"),
            _node("Wait", "n8n-nodes-base.wait", 1.1, 400, amount=1, unit="seconds"),
            _http("Call B", 500, url),
            _node("Sub", "n8n-nodes-base.executeWorkflow", 1.1, 600, source="database",
                  workflowId={"__rl": True, "value": "soak-child", "mode": "id"}),
            _code("Prompt", 700, "return [{json: {run: $json.run, chatInput: 'soak ' + $json.run}}];"),
            _node("Chain", lc + "chainLlm", 1.7, 800),
            _http("Call Z", 900, url, run="$('Prompt').first().json.run"),
        ]  # fmt: skip

    model = _node("Model", lc + "lmChatOllama", 1, 800, model=MODEL, options={})
    model["position"] = [800, 200]
    ai = {"Model": {"ai_languageModel": [[{"node": "Chain", "type": "ai_languageModel", "index": 0}]]}}
    rest = body(_node("Start", "n8n-nodes-base.manualTrigger", 1, 0))
    hook = body(_node("Hook", "n8n-nodes-base.webhook", 2, 0, httpMethod="POST", path="soak"))
    return [
        child,
        _chain("soak", rest, (model,), **ai),
        _chain("soak-hook", hook, (model,), **ai),
    ]


def _config(ollama_url: str) -> str:
    return f"""hive:
  monitoring: {{health_check_interval: 3600}}
  security: {{api_rate_limit: 1000000}}
  agents:
    soak:
      name: soak
      endpoint: "{ollama_url}"
      models: ["{MODEL}"]
      worker: central
      max_concurrent: 8
"""


class SoakStack:
    """Dev server (file database), `hive api`, two `hive worker`s; each killable on its own."""

    def __init__(self, data_dir: Path, ollama_url: str) -> None:
        self.data_dir = data_dir
        self.temporal_port = free_port()
        self.api_port = free_port()
        self.database_url = f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
        (data_dir / "hive.yaml").write_text(_config(ollama_url))
        self.key = ""
        logs = data_dir / "logs"
        argv = dev_server_argv(
            db_file=data_dir / "temporal.db", host="127.0.0.1", port=self.temporal_port, ui_port=None,
            metrics_port=free_port(), namespace="default",
        )  # fmt: skip
        self.temporal = ManagedProcess("temporal", argv, logs / "temporal.log", dict(os.environ))
        env = {
            **os.environ,
            "HIVE_TEMPORAL__ADDRESS": self.temporal_address,
            "HIVE_DATABASE__URL": self.database_url,
            "HIVE_WORKER__METRICS_PORT": "0",
            # INFO: the workers' "worker ready" line tells when a restarted worker polls again.
            "HIVE_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        common = ["--config", str(data_dir / "hive.yaml"), "--data-dir", str(data_dir)]
        hive = [sys.executable, "-m", "hive_core.cli"]
        self.api = ManagedProcess("api", [*hive, "api", *common, "--port", str(self.api_port)],
                                  logs / "api.log", env)  # fmt: skip
        self.workers = [
            ManagedProcess(f"worker-{i}", [*hive, "worker", *common], logs / f"worker-{i}.log", env)
            for i in (1, 2)
        ]

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    async def prepare(self, workflows: list[dict[str, Any]]) -> None:
        """Migrate the database, store and activate the workflows, make an operator key."""
        await upgrade_database_async(self.database_url)
        engine = create_engine(self.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                await import_workflows(session, workflows, activate=True)
            async with create_sessionmaker(engine)() as session, session.begin():
                self.key = (await create_api_key(session, name="soak", role=UserRole.OPERATOR)).secret
        finally:
            await engine.dispose()

    async def start_temporal(self) -> Client:
        await self.temporal.start()
        deadline = time.monotonic() + 60
        while True:
            try:
                client = await connect_temporal(
                    TemporalSettings(address=self.temporal_address, connect_timeout_s=1.0)
                )
                if await client.service_client.check_health():
                    return client
            except Exception:  # noqa: BLE001 - not up yet; the deadline decides
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.2)

    async def wait_api(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        async with httpx.AsyncClient(timeout=2) as http:
            while time.monotonic() < deadline:
                try:
                    if (await http.get(f"{self.api_url}/ready")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise SystemExit(f"hive api not ready; see {self.api.log_path}:\n{self.api.tail()}")

    async def wait_ready(self, process: ManagedProcess, ready_lines: int, timeout_s: float = 60) -> None:
        """Until ``process``'s log holds more than ``ready_lines`` "worker ready" lines."""
        deadline = time.monotonic() + timeout_s
        while self.ready_lines(process) <= ready_lines and time.monotonic() < deadline:
            await asyncio.sleep(0.2)

    @staticmethod
    def ready_lines(process: ManagedProcess) -> int:
        try:
            return process.log_path.read_text(errors="replace").count("worker ready")
        except OSError:
            return 0

    @staticmethod
    def kill(process: ManagedProcess) -> None:
        """SIGKILL the process's group: no shutdown code runs, as in a crash."""
        if process.pid is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def stop(self) -> None:
        for process in [self.api, *self.workers, self.temporal]:
            await process.stop(timeout_s=5)
