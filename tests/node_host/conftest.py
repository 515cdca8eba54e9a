"""A real node host process (node_host/src/main.js) polling a unique queue of the test dev server."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.node_host.process import NodeHostLaunch, NodeRuntime, ensure_installed, find_node
from tests.node_host.credential_server import SERVICE_KEY, CredentialServer, credential_server

READY_TIMEOUT_S = 60


@dataclass
class NodeHost:
    """A running node host; `restart()` after `kill()` starts a new one on the same queue."""

    launch: NodeHostLaunch
    runtime: NodeRuntime
    proc: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def queue(self) -> str:
        return self.launch.task_queue

    def start(self) -> float:
        """Start and wait for its ready line; returns the cold start in seconds."""
        started = time.perf_counter()
        ready = threading.Event()
        self.proc = subprocess.Popen(
            self.launch.command(self.runtime),
            env=self.launch.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        proc = self.proc

        def read() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                self.lines.append(line.rstrip())
                if " ready in " in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(READY_TIMEOUT_S):
            self.kill()
            raise AssertionError("node host did not start:\n" + "\n".join(self.lines[-20:]))
        return time.perf_counter() - started

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def rss_mib(self) -> float:
        assert self.proc is not None
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        return kb / 1024


def node_runtime() -> NodeRuntime:
    runtime = find_node()
    if runtime is None:
        pytest.skip("Node.js >= 20 is not installed (the node host needs it)")
    ensure_installed(runtime)
    return runtime


@pytest.fixture(scope="session")
def credentials() -> Iterator[CredentialServer]:
    """The stand-in credential store the session's node host resolves from."""
    with credential_server() as server:
        yield server


@pytest.fixture(scope="session")
def node_host(
    credentials: CredentialServer, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NodeHost]:
    """One node host for the session, on its own queue."""
    host = make_node_host(
        temporal_env, tmp_path_factory.mktemp("node-host"), api_url=credentials.url, api_key=SERVICE_KEY
    )
    host.start()
    try:
        yield host
    finally:
        host.kill()


def make_node_host(env: WorkflowEnvironment, data_dir: Path, **launch: object) -> NodeHost:
    target = env.client.service_client.config.target_host
    options = {"task_queue": f"nodes-{uuid.uuid4().hex[:10]}", **launch}
    return NodeHost(
        NodeHostLaunch(temporal_address=target, data_dir=data_dir, **options),  # type: ignore[arg-type]
        node_runtime(),
    )
