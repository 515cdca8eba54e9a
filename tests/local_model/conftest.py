"""The real local model server (``python -m hive_core.local_model``) as a subprocess, once per package.

Loading SmolLM2-135M takes ~0.5 s; the first run on a machine also downloads the weights (~93 MB,
a few seconds) into the default cache, exactly as a user's first start does.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hive_core.ollama.client import OllamaClient

MODEL = "smollm2:135m"
# The first start may download the weights; later starts load in about a second.
STARTUP_TIMEOUT_S = 180.0
_READY = re.compile(r"ready on (http://\S+)")


@dataclass
class LocalModelProcess:
    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


MODULE_ARGV = [sys.executable, "-m", "hive_core.local_model", "--host", "127.0.0.1", "--port", "0"]


def start_local_model(log_path: Path, argv: list[str] = MODULE_ARGV) -> LocalModelProcess:
    """Start the server (by default on a free port) and wait for its ``ready`` line."""
    with log_path.open("wb") as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if match := _READY.search(text):
            return LocalModelProcess(match.group(1), log_path, process)
        if process.poll() is not None:
            raise RuntimeError(f"local model server exited with {process.returncode}:\n{text}")
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"local model server not ready after {STARTUP_TIMEOUT_S:g} s:\n{log_path.read_text()}")


def stop_local_model(server: LocalModelProcess) -> int:
    """SIGTERM, then the exit code (0 for a clean shutdown)."""
    server.process.terminate()
    try:
        return server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        return server.process.wait()


@pytest.fixture(scope="package")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalModelProcess]:
    server = start_local_model(tmp_path_factory.mktemp("local-model") / "server.log")
    try:
        yield server
    finally:
        stop_local_model(server)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def ollama(local_model: LocalModelProcess, http: httpx.AsyncClient) -> OllamaClient:
    """Hive's own Ollama client (the one the AI activities use) pointed at the local model."""
    return OllamaClient(http, local_model.url, chunk_timeout=60)
