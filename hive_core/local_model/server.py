"""Run the Ollama-compatible server in the foreground until SIGTERM or SIGINT.

Start-up: resolve the weights (downloading them on first use), load them and read the model
card in parallel, bind the port, then log one ``ready`` line naming the URL. Shutdown is graceful:
uvicorn finishes the responses in flight, then the model is freed and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
from collections.abc import Iterator

import uvicorn

from hive_core.errors import PortInUseError
from hive_core.local_model.app import build_app
from hive_core.local_model.card import ModelCard
from hive_core.local_model.engine import EngineConfig, LlamaEngine
from hive_core.local_model.errors import InvalidWeightsError
from hive_core.local_model.gguf import read_gguf_info
from hive_core.local_model.settings import LocalModelSettings
from hive_core.local_model.weights import resolve_weights

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # `serve_until_signal` installs its own handlers: uvicorn's would re-raise the signal at
        # exit, turning a clean stop into a death by SIGTERM.
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; ``port`` 0 picks a free one."""
    # IPPROTO_TCP: asyncio disables Nagle only on sockets that say they are TCP; without it every
    # small NDJSON line waits for a delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(f"port {port} on {host} is already in use", host=host, port=port) from exc
        raise
    sock.listen(128)
    return sock


async def _load(settings: LocalModelSettings) -> tuple[LlamaEngine, ModelCard]:
    """Resolve the weights, check they are GGUF, then load them and read the model card."""
    path = await asyncio.to_thread(resolve_weights, settings.model_path, settings.cache_dir)
    try:
        info = await asyncio.to_thread(read_gguf_info, path)  # ~0.1 s; llama.cpp would only abort
    except ValueError as exc:  # the message names the file
        raise InvalidWeightsError(str(exc), path=str(path)) from exc
    except OSError as exc:
        raise InvalidWeightsError(f"cannot read {path}: {exc}", path=str(path)) from exc
    config = EngineConfig(model_path=path, n_ctx=settings.ctx, threads=settings.threads)
    engine, card = await asyncio.gather(
        asyncio.to_thread(LlamaEngine.load, config),
        asyncio.to_thread(ModelCard.from_file, path, settings.ctx, settings.model_name, info),
    )
    return engine, card


async def serve_until_signal(settings: LocalModelSettings) -> None:
    """Load the model and serve the Ollama API until SIGTERM/SIGINT (or cancellation)."""
    sock = bind(settings.host, settings.port)  # first: a busy port fails before any slow work
    try:
        engine, card = await _load(settings)
        try:
            await _serve(sock, engine, card, settings)
        finally:
            engine.close()
    finally:
        sock.close()
    log.info("local model server stopped")


async def _serve(
    sock: socket.socket, engine: LlamaEngine, card: ModelCard, settings: LocalModelSettings
) -> None:
    server = _Server(
        uvicorn.Config(build_app(engine, card), log_config=None, access_log=False, lifespan="off")
    )
    loop = asyncio.get_running_loop()

    def stop() -> None:
        server.force_exit = server.should_exit  # a second signal: do not wait for streams
        server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if server.started:
            host, port = sock.getsockname()[:2]
            log.info(
                "local model %s ready on http://%s:%d (%s, %d thread(s), context %d, loaded in %.2f s)",
                card.name, host, port, card.path, settings.threads, settings.ctx, engine.load_seconds,
            )  # fmt: skip
        await serving
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        serving.cancel()


def serve(settings: LocalModelSettings) -> None:
    """Blocking entry point for the CLIs."""
    # Ctrl-C while the weights download or load: stop quietly (the handlers come after loading).
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_until_signal(settings))


__all__ = ["bind", "serve", "serve_until_signal"]
