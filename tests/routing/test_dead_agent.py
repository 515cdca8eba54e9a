"""A SIGKILLed agent is judged dead within seconds, though the server lists its pollers for minutes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from hive_core.config import AgentConfig
from stand_ins.ollama.server import FakeOllama
from tests.helpers import assert_eventually
from tests.routing.cluster import AiChatWorkflow, agent_for, central_running, chat_call, unique

REPO = Path(__file__).resolve().parents[2]
# The bound: from the kill to the call's NoLiveAgent.
DECIDED_WITHIN_S = 10.0


@contextlib.asynccontextmanager
async def _agent_process(client: Client, agent: AgentConfig) -> AsyncIterator[subprocess.Popen[bytes]]:
    address = client.service_client.config.target_host
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.routing.agent_process", address, agent.model_dump_json()],
        cwd=REPO,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), timeout=30)
        assert line.strip() == b"ready", line
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def _kill(process: subprocess.Popen[bytes]) -> float:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return time.monotonic()


async def _no_live_agent(client: Client, task_queue: str, model: str) -> ApplicationError:
    with pytest.raises(WorkflowFailureError) as caught:
        await client.execute_workflow(
            AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
        )
    cause = caught.value.cause
    assert isinstance(cause, ApplicationError), cause
    return cause


async def test_a_call_after_the_only_agent_was_killed_fails_fast(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    hosts[0].config.models = [model]
    a = agent_for(hosts[0], unique("a"), [model])
    async with central_running(client, task_queue, [a]), _agent_process(client, a) as process:
        # The agent served a call first, so the server has its pollers on record.
        result = await client.execute_workflow(
            AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
        )
        assert result.agent_id == a.id
        killed = _kill(process)
        error = await _no_live_agent(client, task_queue, model)
    assert time.monotonic() - killed < DECIDED_WITHIN_S
    assert error.type == "NoLiveAgent" and a.id in error.message


async def test_a_call_in_flight_when_the_only_agent_is_killed_fails_fast(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    host = hosts[0]
    host.config.models = [model]
    host.config.tokens_per_second = 20
    host.config.reply_tokens = 2000  # minutes unless the worker dies
    a = agent_for(host, unique("a"), [model])
    async with central_running(client, task_queue, [a]), _agent_process(client, a) as process:
        call = asyncio.create_task(_no_live_agent(client, task_queue, model))

        async def streaming() -> None:
            assert host.stats.in_flight == 1

        await assert_eventually(streaming, timeout_s=20)
        killed = _kill(process)
        error = await call
    # The heartbeat timeout (5 s) notices the death, then the retry waits for a taker and the probe.
    assert time.monotonic() - killed < DECIDED_WITHIN_S
    assert error.type == "NoLiveAgent"
