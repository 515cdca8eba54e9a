"""An agent's workers in a process of their own, so that a test can SIGKILL them.

    python -m tests.routing.agent_process <temporal address> <agent config JSON>

Prints ``ready`` once every worker polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from hive_core.config import AgentConfig
from hive_core.settings import HiveSettings, WorkerSettings
from workers.factory import build_agent_workers


async def _serve(address: str, agent: AgentConfig) -> None:
    client = await Client.connect(address, data_converter=pydantic_data_converter)
    settings = HiveSettings(worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=0))
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        for worker in build_agent_workers(client, agent, settings, http):
            await stack.enter_async_context(worker)
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1], AgentConfig.model_validate_json(sys.argv[2])))
