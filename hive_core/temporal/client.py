"""One way to get a Temporal client: pydantic payloads, optional tracing, clear failure."""

from __future__ import annotations

import asyncio
import re

from temporalio.client import Client, Interceptor
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime

from hive_core.errors import EngineUnavailableError
from hive_core.settings import TemporalSettings


async def connect_temporal(
    settings: TemporalSettings,
    *,
    interceptors: list[Interceptor] | None = None,
    runtime: Runtime | None = None,
    lazy: bool = False,
) -> Client:
    """Connect to Temporal or raise EngineUnavailableError naming the address.

    ``lazy=True`` returns at once and connects on first use: the API starts even
    when Temporal is down and reports it through ``/ready``.
    """
    _state["connected"] = True
    try:
        return await asyncio.wait_for(
            Client.connect(
                settings.target,
                namespace=settings.namespace,
                data_converter=pydantic_data_converter,
                interceptors=interceptors or [],
                runtime=runtime,
                lazy=lazy,
            ),
            timeout=settings.connect_timeout_s,
        )
    except (RuntimeError, TimeoutError, OSError) as exc:
        raise EngineUnavailableError(
            f"Temporal at {settings.target} is unreachable ({_concise(exc)})",
            address=settings.target,
        ) from None


def client_connected() -> bool:
    """Whether this process has connected a client, so the core SDK's Rust threads exist."""
    return _state["connected"]


# Process-wide by nature: the core SDK's runtime threads live as long as the process.
_state = {"connected": False}

_OS_MESSAGE = re.compile(r'message: "([^"]+)"')


def _concise(exc: BaseException) -> str:
    """The core SDK's transport errors are long Rust debug strings: keep the OS reason."""
    text = str(exc)
    if not text:
        return "timed out"
    found = _OS_MESSAGE.search(text)
    return found.group(1).lower() if found else text.splitlines()[0][:200]
