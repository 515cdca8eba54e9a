"""A real Chroma server for the Chroma vector store tests.

The `chromadb` wheel carries Chroma's Rust server (`chroma run`) in its bindings, which need none
of the Python client's many dependencies; so the wheel alone is installed (`--no-deps`) into a
cache beside pip's, once per machine, and the server runs from there on a free port.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from hive_core.stack.ports import free_port

CHROMA_VERSION = "1.5.9"
_CACHE_ROOT = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
_CACHE = _CACHE_ROOT / "hive-tests" / f"chromadb-{CHROMA_VERSION}"
_RUN = "import sys, chromadb_rust_bindings as c; c.cli(['chroma', 'run', *sys.argv[1:]])"


def _bindings() -> Path:
    """The directory holding `chromadb_rust_bindings`, installed there first if need be."""
    _CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(_CACHE.parent / f"{_CACHE.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two pytest workers may ask at once
        if not (_CACHE / "chromadb_rust_bindings").is_dir():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--no-deps",
                    "--target",
                    str(_CACHE),
                    f"chromadb=={CHROMA_VERSION}",
                ],  # fmt: skip
                check=True,
            )
    return _CACHE


@dataclass
class ChromaServer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextlib.contextmanager
def chroma_server(data_dir: Path) -> Iterator[ChromaServer]:
    """Chroma on a free port with its files under `data_dir`, until the block ends."""
    port = free_port()
    log = (data_dir / "chroma.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _RUN,
            "--path",
            str(data_dir / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],  # fmt: skip
        env={**os.environ, "PYTHONPATH": str(_bindings())},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = ChromaServer(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"chroma exited: {(data_dir / 'chroma.log').read_text()[-2000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{server.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("chroma did not answer its heartbeat within 30 s")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            server.stop()
        log.close()
