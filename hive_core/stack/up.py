"""Start, watch and stop the local stack: Temporal dev server, Hive API, central worker."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from hive_core.auth import bootstrap_admin_key
from hive_core.config import ClusterConfig, load_cluster_config
from hive_core.db.migrate import upgrade_database_async
from hive_core.errors import EngineUnavailableError, OperationalError
from hive_core.node_host.process import ensure_installed, find_node, unavailable_reason
from hive_core.node_host.service_key import rotate_node_host_key
from hive_core.settings import HiveSettings
from hive_core.stack.dev_server import dev_server_argv
from hive_core.stack.local_model import LOCAL_AGENT_ID, LOCAL_MODEL, local_model_argv
from hive_core.stack.ports import free_port, require_free_ports
from hive_core.stack.processes import ManagedProcess
from hive_core.temporal import connect_temporal, ensure_search_attributes
from hive_core.temporal.readiness import wait_for_pollers

log = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 60.0
# Loading the local model's weights (a download on first use) may take longer than the rest.
LOCAL_MODEL_STARTUP_S = 180.0


@dataclass
class StackUrls:
    api: str
    docs: str
    metrics: str
    temporal: str
    temporal_ui: str | None
    temporal_metrics: str | None
    worker_metrics: str | None
    local_model: str | None = None
    # The web console (/ui/) and the MCP endpoint (/mcp) the API serves.
    console: str | None = None
    mcp: str | None = None

    def lines(self) -> list[str]:
        rows = [
            ("Hive API", self.api),
            ("Web console", self.console),
            ("API docs", self.docs),
            ("MCP (HTTP)", self.mcp),
            ("API metrics", self.metrics),
            ("Temporal", self.temporal),
            ("Temporal UI", self.temporal_ui),
            ("Temporal metrics", self.temporal_metrics),
            ("Worker metrics", self.worker_metrics),
            (
                "Local model",
                f"{self.local_model} (agent {LOCAL_AGENT_ID}, {LOCAL_MODEL})" if self.local_model else None,
            ),
        ]
        return [f"  {name:<17} {url}" for name, url in rows if url]


@dataclass
class UpOptions:
    settings: HiveSettings
    with_ui: bool = True
    with_worker: bool = True
    on_ready: list[object] = field(default_factory=list)
    # Serve SmolLM2-135M on this port as the agent `local` (hive up --local-model); None: off.
    local_model_port: int | None = None


def _child_env(settings: HiveSettings, temporal_target: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "HIVE_DATA_DIR": str(settings.data_dir),
            "HIVE_TEMPORAL__ADDRESS": temporal_target,
            "HIVE_TEMPORAL__NAMESPACE": settings.temporal.namespace,
            "HIVE_DATABASE__URL": settings.database_url,
            "HIVE_API__HOST": settings.api.host,
            "HIVE_API__PORT": str(settings.api.port),
            "HIVE_WORKER__METRICS_PORT": str(settings.worker.metrics_port),
            "HIVE_LOG_LEVEL": settings.log_level,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if settings.config_path is not None:
        env["HIVE_CONFIG"] = str(settings.config_path.resolve())
    return env


def _hive_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "hive_core.cli", *args]


async def _wait_http_ok(url: str, deadline: float, process: ManagedProcess) -> None:
    async with httpx.AsyncClient(timeout=2.0) as http:
        while time.monotonic() < deadline:
            if not process.running:
                raise OperationalError(
                    f"{process.name} exited during start-up; see {process.log_path}:\n{process.tail()}"
                )
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise OperationalError(f"{process.name} not ready at {url}; see {process.log_path}")


class LocalStack:
    """The processes of one `hive up`, started in order and stopped in reverse."""

    def __init__(self, options: UpOptions) -> None:
        self.options = options
        self.bootstrap_key: str | None = None
        self.settings = options.settings
        self.processes: list[ManagedProcess] = []
        self.urls: StackUrls | None = None

    @property
    def logs_dir(self) -> Path:
        return self.settings.data_dir / "logs"

    def _check_ports(self) -> None:
        s = self.settings
        ports = {"API": s.api.port}
        if s.temporal.address is None:
            ports["Temporal"] = s.temporal.port
            if self.options.with_ui:
                ports["Temporal UI"] = s.temporal.ui_port
        if self.options.with_worker and s.worker.metrics_port:
            ports["worker metrics"] = s.worker.metrics_port
        if self.options.local_model_port is not None:
            ports["local model"] = self.options.local_model_port
        require_free_ports(ports, host="127.0.0.1")

    async def _start_local_model(self, env: dict[str, str]) -> str:
        """The local model server, ready (it loads the weights first, so it gets its own deadline)."""
        assert self.options.local_model_port is not None
        url = f"http://127.0.0.1:{self.options.local_model_port}"
        argv = local_model_argv("127.0.0.1", self.options.local_model_port)
        server = ManagedProcess("local-model", argv, self.logs_dir / "local-model.log", env)
        await server.start()
        self.processes.append(server)
        await _wait_http_ok(f"{url}/api/version", time.monotonic() + LOCAL_MODEL_STARTUP_S, server)
        return url

    async def _start_temporal(self, deadline: float) -> tuple[str, str | None]:
        s = self.settings
        if s.temporal.address is not None:
            return s.temporal.address, None
        metrics_port = s.temporal.metrics_port or free_port()
        argv = dev_server_argv(
            db_file=(s.data_dir / "temporal.db").resolve(),
            host=s.temporal.host,
            port=s.temporal.port,
            ui_port=s.temporal.ui_port if self.options.with_ui else None,
            metrics_port=metrics_port,
            namespace=s.temporal.namespace,
        )
        server = ManagedProcess("temporal", argv, self.logs_dir / "temporal.log", dict(os.environ))
        await server.start()
        self.processes.append(server)
        target = s.temporal.target
        while True:
            if not server.running:
                raise OperationalError(
                    f"Temporal dev server exited during start-up; see {server.log_path}:\n{server.tail()}"
                )
            try:
                probe = s.temporal.model_copy(update={"address": target, "connect_timeout_s": 1.0})
                client = await connect_temporal(probe)
                if await client.service_client.check_health():
                    break
            except (EngineUnavailableError, RuntimeError):
                pass
            if time.monotonic() > deadline:
                raise OperationalError(f"Temporal dev server not ready; see {server.log_path}")
            await asyncio.sleep(0.1)
        return target, f"http://127.0.0.1:{metrics_port}/metrics"

    async def start(self) -> StackUrls:
        s = self.settings
        self._check_ports()
        s.data_dir.mkdir(parents=True, exist_ok=True)
        if s.config_path is not None:
            load_cluster_config(s.config_path)  # fail fast on a bad hive.yaml
        # Before the start-up deadline: the first install of the node host takes minutes.
        node_host_ready = await self._install_node_host() if self.options.with_worker else False
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        # Migrations and the Temporal start-up overlap; both must finish before anything else.
        migrated, temporal_started = await asyncio.gather(
            upgrade_database_async(s.database_url),
            self._start_temporal(deadline),
            return_exceptions=True,
        )
        for outcome in (temporal_started, migrated):
            if isinstance(outcome, BaseException):
                raise outcome
        # First start on an empty database: an admin key, shown once by `hive up`.
        self.bootstrap_key = await bootstrap_admin_key(s.database_url)
        assert isinstance(temporal_started, tuple)
        target, temporal_metrics = temporal_started
        client = await connect_temporal(s.temporal.model_copy(update={"address": target}))
        await ensure_search_attributes(client)

        env = _child_env(s, target)
        local_model = None
        worker_args, api_args = ["worker"], ["api"]
        if self.options.local_model_port is not None:
            local_model = await self._start_local_model(env)
            # The worker drives the `local` agent; the API lists it (GET /api/agents, health).
            worker_args += ["--local-model", local_model]
            api_args += ["--local-model", local_model]
        # The supervisor decides where the worker runs; the flag overrides what the env says.
        embedded = self.options.with_worker and s.api.embedded_worker
        api_args.append("--with-worker" if embedded else "--without-worker")
        api = ManagedProcess("api", _hive_argv(*api_args), self.logs_dir / "api.log", env)
        starting = [api]
        worker_process = api
        if self.options.with_worker and not embedded:
            worker_process = ManagedProcess(
                "worker", _hive_argv(*worker_args), self.logs_dir / "worker.log", env
            )
            starting.append(worker_process)
        if node_host_ready:
            # The node host resolves credentials from this stack's API with its own key.
            key = await rotate_node_host_key(s.database_url)
            node_env = {**env, "HIVE_API_URL": s.api.base_url, "HIVE_API_KEY": key}
            starting.append(
                ManagedProcess(
                    "node-host", _hive_argv("node-host"), self.logs_dir / "node-host.log", node_env
                )
            )
        for process in starting:
            await process.start()
            self.processes.append(process)
        api_url = s.api.base_url
        waits = [_wait_http_ok(f"{api_url}/ready", deadline, api)]
        if self.options.with_worker:
            waits.append(wait_for_pollers(client, s.temporal.task_queue, deadline, worker_process))
        await asyncio.gather(*waits)
        ui = (
            f"http://127.0.0.1:{s.temporal.ui_port}"
            if s.temporal.address is None and self.options.with_ui
            else None
        )
        worker_metrics = (
            f"http://127.0.0.1:{s.worker.metrics_port}/metrics"
            if self.options.with_worker and s.worker.metrics_port
            else None
        )
        self.urls = StackUrls(
            api=api_url,
            docs=f"{api_url}/docs",
            metrics=f"{api_url}/metrics",
            console=f"{api_url}/ui/",
            mcp=f"{api_url}/mcp",
            temporal=target,
            temporal_ui=ui,
            temporal_metrics=temporal_metrics,
            worker_metrics=worker_metrics,
            local_model=local_model,
        )
        return self.urls

    async def _install_node_host(self) -> bool:
        """Whether to start the n8n node host: hive.yaml enables it and Node.js >= 20 is here.

        Its npm packages are installed first (once, about two minutes), with progress logged.
        """
        s = self.settings
        cluster = load_cluster_config(s.config_path) if s.config_path is not None else ClusterConfig()
        if not cluster.node_host.enabled:
            return False
        runtime = find_node()
        if runtime is None:
            log.warning("n8n node host not started: %s", unavailable_reason())
            return False
        await asyncio.to_thread(
            ensure_installed, runtime, progress=lambda line: log.info("node host: %s", line)
        )
        return True

    async def watch(self, stop: asyncio.Event) -> int:
        """Wait for ``stop`` or for any child to die; a dead child ends the stack (exit 1)."""
        waiters = {asyncio.ensure_future(p.wait()): p for p in self.processes}
        stopper = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait([stopper, *waiters], return_when=asyncio.FIRST_COMPLETED)
        for future in [stopper, *waiters]:
            if future not in done:
                future.cancel()
        if stopper in done:
            return 0
        for future in done:
            process = waiters[future]
            log.error(
                "%s exited with code %s; stopping the stack. Last lines of %s:\n%s",
                process.name,
                process.process.returncode if process.process else "?",
                process.log_path,
                process.tail(),
            )
        return 1

    async def stop(self) -> None:
        for process in reversed(self.processes):
            code = await process.stop()
            log.info("stopped %s (exit %s)", process.name, code)


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
