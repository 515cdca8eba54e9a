"""Chat Memory Manager end to end through a real dev server: insert, override, delete and load a
Simple Memory conversation in Hive's database, in n8n's output shapes (1 and 1.1)."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


def _memory(root: str) -> tuple[dict[str, Any], str, str]:
    node = lc(f"Memory {root}", "memoryBufferWindow", 1.3, 300, sessionIdType="customKey", sessionKey="s1")
    return node, "ai_memory", root


def _flow(*managers: dict[str, Any]) -> dict[str, Any]:
    return ai_workflow(
        "memory manager",
        [base("Start", "manualTrigger", 1), *managers],
        [_memory(m["name"]) for m in managers],
        workflow_id="wf-memory-manager",
    )


def _insert(name: str, *messages: tuple[str, str], override: bool = False) -> dict[str, Any]:
    values = [{"type": kind, "message": text} for kind, text in messages]
    return lc(
        name, "memoryManager", 1.1, 200, mode="insert", insertMode="override" if override else "insert",
        messages={"messageValues": values},
    )  # fmt: skip


def _load(name: str, version: float = 1.1, **parameters: Any) -> dict[str, Any]:
    return lc(name, "memoryManager", version, 200, mode="load", **parameters)


async def test_insert_then_load_grouped_and_simplified(ai_cluster: AiCluster) -> None:
    flow = _flow(
        _insert("Insert", ("system", "be brief"), ("user", "hi"), ("ai", "hello"), ("user", "bye")),
        _load("Load"),
    )
    snapshot = await ai_cluster.run(flow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Insert") == [{"success": True}]
    assert output(snapshot, "Load") == [
        {
            "messages": [{"system": "be brief", "human": "hi", "ai": "hello"}, {"human": "bye"}],
            "messagesCount": 2,
        }
    ]


async def test_delete_override_and_version_1_shapes(ai_cluster: AiCluster) -> None:
    delete = lc("Delete", "memoryManager", 1, 200, mode="delete", deleteMode="lastN", lastMessagesCount=1)
    flow = _flow(
        _insert("Insert", ("user", "one"), ("ai", "two"), ("user", "three"), override=True),
        delete,
        _load("Load", 1.1, simplifyOutput=False, options={"groupMessages": False}),
    )
    snapshot = await ai_cluster.run(flow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    # Version 1 answers insert/delete with the conversation, as LangChain serializes it.
    assert [m["kwargs"]["content"] for m in output(snapshot, "Delete")] == ["one", "two"]
    loaded = output(snapshot, "Load")
    # Load runs once per input item, and Delete (version 1) passed on two.
    assert [m["id"][-1] for m in loaded] == ["HumanMessage", "AIMessage"] * 2
    assert loaded[0] == {
        "lc": 1,
        "type": "constructor",
        "id": ["langchain_core", "messages", "HumanMessage"],
        "kwargs": {"content": "one", "additional_kwargs": {}, "response_metadata": {}},
    }
    # Running it again starts from the overridden conversation, not on top of the old one.
    snapshot = await ai_cluster.run(flow)
    assert [m["kwargs"]["content"] for m in output(snapshot, "Delete")] == ["one", "two"]
    clear = lc("Clear", "memoryManager", 1.1, 200, mode="delete", deleteMode="all")
    snapshot = await ai_cluster.run(_flow(clear, _load("Load")))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Load") == [{"messages": [], "messagesCount": 0}]


def test_memory_manager_needs_a_memory() -> None:
    workflow = ai_workflow("w", [base("Start", "manualTrigger", 1), _load("Load")], [])
    with pytest.raises(CompileError, match="needs a memory"):
        compile_export(workflow)
