"""Chat workflows for the tests: Chat Trigger → AI Agent with a memory on both."""

from __future__ import annotations

from typing import Any

from tests.ai.builders import lc

WEBHOOK_ID = "5f1c0ff1-chat-4e2a-9d3b-hive00000001"


def chat_workflow(
    model: str,
    *,
    version: float = 1.1,
    webhook_id: str = WEBHOOK_ID,
    memory: dict[str, Any] | None = None,
    workflow_id: str = "wf-chat",
    **trigger: Any,
) -> dict[str, Any]:
    """`trigger` holds the Chat Trigger's parameters (public, mode, options, ...)."""
    chat = lc("When chat message received", "chatTrigger", version, 0, **{"public": True, **trigger})
    chat["webhookId"] = webhook_id
    chat["id"] = "chat-trigger-node-id"
    agent = lc("AI Agent", "agent", 2.2, 200)
    agent["id"] = "agent-node-id"
    memory = memory or lc("Memory", "memoryBufferWindow", 1.3, 300, contextWindowLength=5)
    nodes = [chat, agent, lc("Model", "lmChatOllama", 1, 200, model=model), memory]
    connections = {
        chat["name"]: {"main": [[{"node": "AI Agent", "type": "main", "index": 0}]]},
        "Model": {"ai_languageModel": [[{"node": "AI Agent", "type": "ai_languageModel", "index": 0}]]},
        memory["name"]: {
            "ai_memory": [
                [
                    {"node": "AI Agent", "type": "ai_memory", "index": 0},
                    {"node": chat["name"], "type": "ai_memory", "index": 0},
                ]
            ]
        },
    }
    return {
        "id": workflow_id,
        "name": f"chat {workflow_id}",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }
