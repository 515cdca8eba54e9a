"""A local LLM call (`dispatch: local`) is checkpointed: SIGKILL of the central worker after the
call finished does not make it again.

Worker A (a real `hive worker` process) runs Start → Chain (its LLM call a local activity) →
Wait; A is killed while the run waits; worker B finishes the run from history, and the fake
Ollama saw exactly one chat.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from hive_core.approvals import ApprovalPolicy
from hive_core.executions.start import start_run
from n8n_import import compile_export
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.ai.builders import ai_workflow, lc
from tests.builders import node
from tests.helpers import assert_eventually
from tests.kill_helpers import start_worker, stop
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow


def _local_agent_config(path: Path, agent: str, url: str, model: str) -> Path:
    config = path / "hive.yaml"
    config.write_text(
        "hive:\n  agents:\n"
        f"    {agent}:\n      endpoint: {url}\n      models: [{model}]\n"
        "      worker: central\n      dispatch: local\n"
    )
    return config


@pytest.mark.slow
async def test_a_kill_after_the_local_call_does_not_repeat_it(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = temporal_env.client
    address = client.service_client.config.target_host
    model = f"m{uuid.uuid4().hex[:6]}:latest"
    agent = f"gpu-{uuid.uuid4().hex[:6]}"
    workflow = ai_workflow(
        "kill-local-ai",
        [
            node("Start", "manualTrigger", 1),
            lc("Chain", "chainLlm", 1.7, 100, promptType="define", text="hi"),
            node("Pause", "wait", 1.1, x=300, amount=4, unit="seconds"),
        ],
        [(lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Chain")],
    )
    queue = f"kill-local-{uuid.uuid4().hex[:8]}"
    async with FakeOllama(FakeOllamaConfig(models=[model], reply="done")) as fake:
        env = {
            "HIVE_DATA_DIR": str(tmp_path / "data"),
            "HIVE_CONFIG": str(_local_agent_config(tmp_path, agent, fake.url, model)),
        }
        first = start_worker(address, queue, tmp_path / "worker1.log", **env)
        second = None
        try:
            execution_id = f"kill-local-{uuid.uuid4().hex[:8]}"
            plan = compile_export(workflow)[0]
            await start_run(client, RunN8nInput(plan=plan, approval=ApprovalPolicy()), execution_id, queue)
            handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)

            async def waiting_with_the_call_recorded() -> None:
                events = [e.event_type for e in (await handle.fetch_history()).events]
                assert EventType.EVENT_TYPE_TIMER_STARTED in events, "the run is not waiting yet"

            # A worker process starts in seconds, in tens of them on a loaded machine.
            await assert_eventually(waiting_with_the_call_recorded, timeout_s=120, interval_s=0.2)
            assert fake.stats.completed == 1
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = start_worker(address, queue, tmp_path / "worker2.log", **env)
            result = await asyncio.wait_for(handle.result(), timeout=120)
            events = [e.event_type for e in (await handle.fetch_history()).events]
        finally:
            stop(first, second)
    assert result.status is ExecutionStatus.SUCCESS, result.error
    assert result.node_execution_order == ["Start", "Chain", "Pause"]
    assert result.run_data["Chain"][0]["data"]["main"][0][0]["json"] == {"text": "done"}
    # B replayed the call's result from history: the host saw one chat, not two.
    assert fake.stats.requests["/api/chat"] == 1
    # The call was a local activity (a marker), not an activity on the agent's queue.
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in events
