"""`hive up --local-model`: the stack serves SmolLM2 as the agent `local`, driven by its worker."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from hive_core.ollama.types import ChatMessage, ChatRequest
from hive_core.stack.local_model import LOCAL_AGENT_ID, LOCAL_MODEL, local_agent
from hive_core.stack.ports import free_port
from tests.routing.cluster import AiChatWorkflow, ChatCall, central_running

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hive_core.local_model") is None, reason="local model server not present"
)


def _wait_for(process: subprocess.Popen[str], text: str, timeout_s: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"no {text!r} from hive up:\n" + "".join(lines))


async def test_hive_up_local_model_serves_chat_as_agent_local(tmp_path: Path) -> None:
    ports = {name: free_port() for name in ("api", "temporal", "model")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")} | {"PYTHONUNBUFFERED": "1"}
    # An empty cluster: the only agent is the local one.
    (tmp_path / "hive.yaml").write_text("hive:\n  agents: {}\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hive_core.cli",
            "up",
            "--data-dir",
            str(tmp_path / "data"),
            "--config",
            str(tmp_path / "hive.yaml"),
            "--api-port",
            str(ports["api"]),
            "--temporal-port",
            str(ports["temporal"]),
            "--no-ui",
            "--worker-metrics-port",
            "0",
            "--local-model",
            "--local-model-port",
            str(ports["model"]),
        ],  # fmt: skip
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _wait_for(process, "Local model", timeout_s=120)
        assert f"http://127.0.0.1:{ports['model']}" in output[-1]
        client = await Client.connect(
            f"127.0.0.1:{ports['temporal']}", data_converter=pydantic_data_converter
        )
        queue = f"test-{uuid.uuid4().hex[:8]}"
        agent = local_agent(f"http://127.0.0.1:{ports['model']}")
        request = ChatRequest(
            model=LOCAL_MODEL,
            messages=[ChatMessage(role="user", content="Name one colour.")],
            options={"num_predict": 8, "temperature": 0},
        )
        async with central_running(client, queue, [agent]):
            result = await client.execute_workflow(
                AiChatWorkflow.run,
                ChatCall(request=request),
                id=f"ai-{uuid.uuid4().hex[:8]}",
                task_queue=queue,
            )
        assert result.agent_id == LOCAL_AGENT_ID
        assert result.eval_count > 0 and result.message.content.strip()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
