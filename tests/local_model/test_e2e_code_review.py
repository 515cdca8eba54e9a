"""The code review workflow on a real model: author and two reviewers on the local model server.

The verdicts come through Ollama's `format` (a JSON schema llama.cpp enforces), so a 135M model's
review parses unless it runs out of tokens; its judgement is not checked for sense, only that the
round is complete.
"""

from __future__ import annotations

import contextlib
import uuid

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from temporalio.client import Client  # noqa: E402

from hive_core.config.models import AgentConfig, ClusterConfig  # noqa: E402
from hive_core.projects import Participant, ReviewOptions, ReviewRequest, Route  # noqa: E402
from tests.builders import worker_settings  # noqa: E402
from tests.local_model.conftest import MODEL, LocalModelProcess  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.code_review import CodeReviewWorkflow  # noqa: E402

pytestmark = [pytest.mark.temporal, pytest.mark.timeout(240)]


async def test_a_review_round_on_the_local_model(
    client: Client, task_queue: str, local_model: LocalModelProcess
) -> None:
    agent = AgentConfig(id="local", name="local", endpoint=local_model.url, models=[MODEL])
    seat = Route(agent="local")
    request = ReviewRequest(
        task="Write a Python function add(a, b) that returns the sum of two numbers.",
        author=Participant(label="author", route=seat, model=MODEL),
        reviewers=[Participant(label=f"reviewer {i}", route=seat, model=MODEL) for i in (1, 2)],
        options=ReviewOptions(max_rounds=1),
    )
    settings = worker_settings(task_queue)
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        for worker in build_agent_workers(client, agent, settings, http):
            await stack.enter_async_context(worker)
        cluster = ClusterConfig(agents={agent.id: agent})
        await stack.enter_async_context(build_central_worker(client, settings, cluster=cluster, http=http))
        result = await client.execute_workflow(
            CodeReviewWorkflow.run, request, id=f"local-review-{uuid.uuid4().hex[:10]}", task_queue=task_queue
        )
    (round_one,) = result.rounds
    assert round_one.code.strip()
    # A 135M model may still run out of tokens inside the JSON (then the verdict says why and
    # does not approve); one seat answering in the schema shows the round trip works.
    verdicts = round_one.verdicts
    assert len(verdicts) == 2 and all(v.verdict or v.error for v in verdicts), verdicts
    assert any(v.verdict in ("approve", "request_changes") for v in verdicts), verdicts
    assert result.approved == (round_one.approvals == 2)
