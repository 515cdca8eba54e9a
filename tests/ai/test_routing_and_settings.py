"""Routing pins from notes reach the agent or capability queue; node settings apply to AI roots."""

from __future__ import annotations

from hive_core.queues import agent_queue, capability_queue, model_queue
from stand_ins.ollama.server import Faults
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


def _workflow(model: str, *, model_notes: str | None = None, root: dict | None = None) -> dict:
    chain = root or lc("Chain", "chainLlm", 1.7, 200)
    return ai_workflow(
        "routing",
        [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'hi'}}];"), chain],
        [(lc("Model", "lmChatOllama", 1, 200, notes=model_notes, model=model), "ai_languageModel", "Chain")],
    )


async def test_agent_pin_in_notes_uses_the_agent_queue(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="pinned")
    snapshot = await ai_cluster.run(
        _workflow(ai_cluster.model, model_notes=f"Pinned for latency\nhive: agent={ai_cluster.agent.id}")
    )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "pinned"}]
    queues = await ai_cluster.activity_queues()
    assert agent_queue(ai_cluster.agent.id) in queues
    assert model_queue(ai_cluster.model) not in queues


async def test_capability_pin_and_default_model_queue(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="ok")
    capability = ai_cluster.agent.capabilities[0]
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, model_notes=f"hive: capability={capability}"))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert capability_queue(capability) in await ai_cluster.activity_queues()
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert model_queue(ai_cluster.model) in await ai_cluster.activity_queues()


async def test_pin_to_unknown_agent_fails_naming_it(ai_cluster: AiCluster) -> None:
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, model_notes="hive: agent=nowhere"))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "nowhere" in snapshot.error["message"]


async def test_on_error_continue_with_a_failing_host(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(faults=Faults(status=500, status_message="runner crashed"))
    regular = lc("Chain", "chainLlm", 1.7, 200)
    regular["onError"] = "continueRegularOutput"
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, root=regular))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Chain")
    assert "runner crashed" in item["error"]

    # A host that refuses the request fails at once (no retries): quicker for the other settings.
    ai_cluster.configure(faults=Faults(status=400, status_message="runner crashed"))
    to_error_output = lc("Chain", "chainLlm", 1.7, 200)
    to_error_output["onError"] = "continueErrorOutput"
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, root=to_error_output))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain", 0) == []
    (failed,) = output(snapshot, "Chain", 1)
    assert "runner crashed" in failed["error"]

    stop = lc("Chain", "chainLlm", 1.7, 200)
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, root=stop))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "runner crashed" in snapshot.error["message"]


async def test_disabled_root_and_pinned_data(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="never")
    disabled = lc("Chain", "chainLlm", 1.7, 200)
    disabled["disabled"] = True
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, root=disabled))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"chatInput": "hi"}]  # a disabled node passes its input on

    pinned = _workflow(ai_cluster.model)
    pinned["pinData"] = {"Chain": [{"text": "from pin"}]}
    snapshot = await ai_cluster.run(pinned)
    assert output(snapshot, "Chain") == [{"text": "from pin"}]
    assert ai_cluster.fake.stats.bodies == []


async def test_ollama_node_message(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="plain answer")
    node = lc(
        "Chain",
        "ollama",
        1,
        200,
        modelId={"__rl": True, "value": ai_cluster.model, "mode": "list"},
        messages={"values": [{"content": "={{ $json.chatInput }}!"}]},
        options={"system": "Be brief", "temperature": 0.1, "stop": "END, STOP"},
    )
    workflow = ai_workflow(
        "ollama",
        [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'hi'}}];"), node],
        [],
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"content": "plain answer"}]
    body = ai_cluster.fake.stats.bodies[-1]
    assert body["messages"] == [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "hi!"}]
    assert body["options"] == {"temperature": 0.1, "stop": ["END", "STOP"]}


async def test_retry_on_fail_and_execute_once(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(faults=Faults(status=400, status_message="bad request"))
    retried = lc("Chain", "chainLlm", 1.7, 200)
    retried.update(retryOnFail=True, maxTries=2, waitBetweenTries=10)
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model, root=retried))
    assert snapshot.status is ExecutionStatus.ERROR
    assert ai_cluster.fake.stats.requests["/api/chat"] == 2

    ai_cluster.configure(reply="once")
    once = lc("Chain", "chainLlm", 1.7, 200)
    once["executeOnce"] = True
    workflow = _workflow(ai_cluster.model, root=once)
    workflow["nodes"][1]["parameters"]["jsCode"] = (
        "return [{json: {chatInput: 'a'}}, {json: {chatInput: 'b'}}];"
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "once"}]
    assert ai_cluster.fake.stats.requests["/api/chat"] == 1


async def test_a_failing_host_is_tried_llm_attempts_times(ai_cluster: AiCluster) -> None:
    # A 5xx from Ollama is the host failing (counted: 3 tries), not a lost worker (never counted).
    ai_cluster.configure(faults=Faults(status=500, status_message="runner crashed"))
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "runner crashed" in snapshot.error["message"]
    assert ai_cluster.fake.stats.requests["/api/chat"] == 3
    # Each try is scheduled by the workflow. A try that waited out the failing host's polling
    # pause (schedule-to-start, then a liveness probe on its health queue) is scheduled again
    # without reaching the host, so the host still sees exactly three.
    chats = [q for q in await ai_cluster.activity_queues() if q.startswith("hive-model-")]
    assert len(chats) >= 3
