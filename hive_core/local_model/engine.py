"""The loaded model: an ``xllamacpp.Server`` (llama.cpp's server core, in process) behind a queue.

llama.cpp is driven through its OpenAI-shaped handlers (``handle_chat_completions``,
``handle_completions``, ``handle_embeddings``). They block, so they run on one dedicated thread;
an ``asyncio.Lock`` (FIFO) makes requests wait their turn, one generation at a time — with one
slot and one CPU thread, running two at once would only make both slower.

Streaming: the binding calls our callback once per chunk from that thread; the callback hands
the chunk to the event loop and returns the stop flag. Returning true makes llama.cpp cancel
the task at the next token, which is how a client that goes away stops its generation.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncGenerator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hive_core.local_model.errors import WeightsUnavailableError

log = logging.getLogger(__name__)

Handler = Literal["chat", "completion"]
_END = object()


@dataclass
class EngineConfig:
    """How the model is loaded."""

    model_path: Path
    # Context window of the single slot; requests asking for more are capped to it.
    n_ctx: int = 2048
    # CPU threads for decoding and prompt processing. 1 on small machines: with 2 threads on a
    # busy 2-core host, OpenMP spin-waiting collapses throughput from ~70 to 2–15 tokens/s.
    threads: int = 1


@dataclass
class RunTiming:
    """When one request was queued and when the model started on it (``time.monotonic_ns``)."""

    queued_ns: int = field(default_factory=time.monotonic_ns)
    started_ns: int = 0


def error_event(status: int, message: str) -> dict[str, Any]:
    """A failure in llama.cpp's own shape, so callers handle one kind of error event."""
    return {"error": {"code": status, "message": message}}


class LlamaEngine:
    """One model in memory; generations and embeddings run one at a time, in arrival order."""

    def __init__(self, server: Any, config: EngineConfig, load_seconds: float) -> None:
        self._server = server
        self.config = config
        self.load_seconds = load_seconds
        self._lock = asyncio.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")

    @classmethod
    def load(cls, config: EngineConfig) -> LlamaEngine:
        """Load the weights (blocking, ~0.3–1 s for SmolLM2-135M). Imports ``xllamacpp`` here."""
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(config.model_path)
        params.n_ctx = config.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = config.threads
        params.cpuparams_batch.n_threads = config.threads
        # Embeddings on the same server (mean pooling); chat and completion keep working.
        params.embedding = True
        params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
        # llama.cpp logs every slot event to stderr; keep errors only.
        params.verbosity = 0
        # xllamacpp also starts llama.cpp's own HTTP listener (unused here): keep it on loopback,
        # any port, one thread, without its web UI.
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        params.n_threads_http = 1
        params.ui = False
        started = time.monotonic()
        try:
            server = xllamacpp.Server(params)
        except (RuntimeError, ValueError) as exc:
            raise WeightsUnavailableError(f"llama.cpp could not load {config.model_path}: {exc}") from exc
        return cls(server, config, time.monotonic() - started)

    def close(self) -> None:
        """Stop the worker thread; the model is freed with the server object."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._server = None

    async def stream(
        self, handler: Handler, body: dict[str, Any], timing: RunTiming | None = None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """Run one streamed request; yields llama.cpp's chunks (OpenAI shape) or one error event.

        Closing the generator (or cancelling its consumer) stops the generation at the next token.
        """
        timing = timing or RunTiming()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()
        method = (
            self._server.handle_chat_completions if handler == "chat" else self._server.handle_completions
        )

        def on_chunk(chunk: Any) -> bool:
            loop.call_soon_threadsafe(queue.put_nowait, chunk)
            return stop.is_set()

        def run() -> None:
            try:
                method({**body, "stream": True}, on_chunk)
            except ValueError as exc:  # the binding's std::invalid_argument: a bad request
                loop.call_soon_threadsafe(queue.put_nowait, error_event(400, str(exc)))
            except Exception as exc:
                log.exception("llama.cpp failed")
                loop.call_soon_threadsafe(queue.put_nowait, error_event(500, str(exc)))
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, _END)

        await self._lock.acquire()
        timing.started_ns = time.monotonic_ns()
        done = loop.run_in_executor(self._executor, run)
        # The lock is released when llama.cpp has really finished, even if we stop reading early.
        done.add_done_callback(lambda _: self._lock.release())
        finished = False
        try:
            while (item := await queue.get()) is not _END:
                # After an error llama.cpp is done: a consumer that stops reading stops nothing.
                finished = "error" in item
                yield item
            finished = True
        finally:
            if not finished:
                stop.set()
                log.info("generation stopped early: the client went away")

    async def embed(self, inputs: list[str], timing: RunTiming | None = None) -> dict[str, Any]:
        """Mean-pooled, normalized embeddings (llama.cpp's OpenAI ``/v1/embeddings`` reply)."""
        async with self._lock:
            if timing is not None:
                timing.started_ns = time.monotonic_ns()
            loop = asyncio.get_running_loop()
            try:
                reply = await loop.run_in_executor(
                    self._executor, self._server.handle_embeddings, {"input": inputs}
                )
            except ValueError as exc:
                return error_event(400, str(exc))
        return reply if isinstance(reply, dict) else error_event(500, f"unexpected reply: {reply!r:.200}")


__all__ = ["EngineConfig", "Handler", "LlamaEngine", "RunTiming", "error_event"]
