"""A protocol-faithful fake Ollama HTTP server on loopback, for tests and benches.

Serves the NDJSON streaming API of ``/work/shared/reference/ollama-api.md`` from a Starlette app
run by uvicorn in a background thread (its own event loop, so a busy test loop cannot slow the
"GPU host" down). Speed, latency, replies, tool calls and faults are set per server and may be
changed while it runs::

    with FakeOllama(FakeOllamaConfig(tokens_per_second=2000)) as ollama:
        ollama.config.faults.error_after_chunks = 3
        ... http://127.0.0.1:<port> is ollama.url ...
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

import uvicorn

from hive_core.config.models import normalize_model_name


@dataclass
class Faults:
    """Failures to inject into generations (``/api/chat``, ``/api/generate``, ``/api/embed``)."""

    # Reply with this status and ``{"error": status_message}`` before anything is streamed.
    status: int | None = None
    status_message: str = "llama runner process has terminated: exit status 2"
    # After N content chunks: an ``{"error": ...}`` line (status stays 200), then the end.
    error_after_chunks: int | None = None
    error_message: str = "an error was encountered while running the model"
    # After N content chunks: abort the connection (an incomplete chunked body).
    drop_after_chunks: int | None = None
    # After N content chunks: a line that is not JSON, then the stream goes on.
    garbage_after_chunks: int | None = None
    # After N content chunks: stop sending without closing (a hung runner).
    stall_after_chunks: int | None = None


@dataclass
class FakeOllamaConfig:
    """How the fake host behaves. Times are seconds; the metrics it reports are nanoseconds."""

    models: list[str] = field(default_factory=lambda: ["llama3.2:latest", "all-minilm:latest"])
    tokens_per_second: float = 1000.0
    first_token_latency: float = 0.0
    load_duration: float = 0.001
    # Text of every reply, or a function of the prompt; None: ``Echo: <prompt>``.
    reply: str | Callable[[str], str] | None = None
    # With the default reply: repeat or cut it to this many tokens.
    reply_tokens: int | None = None
    # Emitted (in one non-final chunk, no text) when the request offers tools.
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    # True: emit ``tool_calls`` only while the chat holds no ``tool`` message yet, then reply
    # with text (an agent's tool round followed by its final answer).
    tool_calls_once: bool = False
    # False: a request with ``format`` gets ``reply`` as is instead of fitting JSON (to test
    # how callers handle a model that ignores the requested structure).
    follow_format: bool = True
    # Streamed as ``thinking`` before the reply when the request sets ``think``.
    thinking: str | None = None
    embedding_dim: int = 16
    # "hash": a vector derived from the whole text (unrelated texts, unrelated vectors);
    # "words": a bag of words hashed into the dimensions, so texts sharing words are close
    # (cosine) and similarity search can be tested.
    embedding_kind: str = "hash"
    version: str = "0.12.6"
    faults: Faults = field(default_factory=Faults)

    def serves(self, model: str) -> bool:
        return normalize_model_name(model) in {normalize_model_name(m) for m in self.models}


@dataclass
class FakeStats:
    """What the server saw; read from the test's thread (plain ints under the GIL)."""

    requests: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    completed: int = 0
    # Generations that ended because the client went away.
    disconnects: int = 0
    last_request: dict[str, Any] | None = None
    # Every request body, in arrival order.
    bodies: list[dict[str, Any]] = field(default_factory=list)
    # Model name → when it unloads (epoch seconds), for /api/ps.
    loaded: dict[str, float] = field(default_factory=dict)


class FakeOllama:
    """Runs the fake on 127.0.0.1 at a free port; a sync and an async context manager."""

    def __init__(self, config: FakeOllamaConfig | None = None) -> None:
        self.config = config or FakeOllamaConfig()
        self.stats = FakeStats()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self, config: FakeOllamaConfig | None = None) -> None:
        """New settings and zeroed stats, keeping the running server (cheaper than a restart)."""
        self.config = config or FakeOllamaConfig()
        self.stats = FakeStats()

    def start(self) -> None:
        from stand_ins.ollama._app import build_app
        from stand_ins.ollama._stream import QuietDrops

        # An injected connection drop is not a server bug: keep its traceback out of the logs.
        uvicorn_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, QuietDrops) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(QuietDrops())

        # proto=IPPROTO_TCP: asyncio turns Nagle off only for sockets that say they are TCP; with
        # proto 0 every keep-alive request stalls 40 ms on delayed ACKs (Go's server sets NODELAY).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        # log_config=None: leave the process's logging alone; access logs would only be noise.
        config = uvicorn.Config(build_app(self), log_config=None, access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])), name="fake-ollama", daemon=True
        )
        self._thread.start()
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("fake Ollama server failed to start")
            threading.Event().wait(0.005)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            # A stalled stream would keep a graceful shutdown waiting forever.
            self._server.force_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)


__all__ = ["FakeOllama", "FakeOllamaConfig", "FakeStats", "Faults"]
