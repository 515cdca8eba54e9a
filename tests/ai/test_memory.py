"""Window Buffer Memory: durable across executions (central worker's SQLite), window honoured."""

from __future__ import annotations

from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


def _workflow(model: str, window: int) -> dict:
    memory = lc(
        "Memory",
        "memoryBufferWindow",
        1.3,
        300,
        sessionIdType="customKey",
        sessionKey="={{ $json.session }}",
        contextWindowLength=window,
    )
    return ai_workflow(
        "memory",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200)],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Agent"),
            (memory, "ai_memory", "Agent"),
        ],
        workflow_id="wf-memory",
    )


def _history(body: dict) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in body["messages"] if m["role"] != "system"]


async def test_second_execution_sees_the_first(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"re:{prompt}")
    workflow = _workflow(ai_cluster.model, window=1)

    async def say(text: str, session: str = "s1") -> None:
        snapshot = await ai_cluster.run(
            workflow, trigger_items=[{"json": {"chatInput": text, "session": session}}]
        )
        assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
        assert output(snapshot, "Agent") == [{"output": f"re:{text}"}]

    await say("first")
    assert _history(ai_cluster.fake.stats.bodies[-1]) == [("user", "first")]
    await say("second")
    assert _history(ai_cluster.fake.stats.bodies[-1]) == [
        ("user", "first"),
        ("assistant", "re:first"),
        ("user", "second"),
    ]
    await say("third")  # window 1: only the last exchange
    assert _history(ai_cluster.fake.stats.bodies[-1]) == [
        ("user", "second"),
        ("assistant", "re:second"),
        ("user", "third"),
    ]
    await say("other", session="s2")  # another session starts empty
    assert _history(ai_cluster.fake.stats.bodies[-1]) == [("user", "other")]


async def test_missing_session_id_is_a_node_error(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="x")
    workflow = _workflow(ai_cluster.model, window=2)
    memory = next(n for n in workflow["nodes"] if n["name"] == "Memory")
    memory["parameters"] = {}  # fromInput: needs $json.sessionId
    snapshot = await ai_cluster.run(workflow, trigger_items=[{"json": {"chatInput": "hi"}}])
    assert snapshot.status is ExecutionStatus.ERROR
    assert snapshot.error["message"] == "No session ID found"
