"""The n8n AI workflow the benches run: Manual Trigger → Basic LLM Chain ← Ollama Chat Model."""

from __future__ import annotations

LANGCHAIN = "@n8n/n8n-nodes-langchain."


def chain_export(model: str, name: str) -> dict[str, object]:
    """One AI node: the chain's prompt is the trigger item's ``chatInput``."""
    return {
        "name": name,
        "nodes": [
            {
                "name": "Start",
                "type": "n8n-nodes-base.manualTrigger",
                "typeVersion": 1,
                "position": [0, 0],
                "parameters": {},
            },
            {
                "name": "Chain",
                "type": LANGCHAIN + "chainLlm",
                "typeVersion": 1.7,
                "position": [200, 0],
                "parameters": {},
            },
            {
                "name": "Model",
                "type": LANGCHAIN + "lmChatOllama",
                "typeVersion": 1,
                "position": [200, 200],
                "parameters": {"model": model, "options": {}},
            },
        ],
        "connections": {
            "Start": {"main": [[{"node": "Chain", "type": "main", "index": 0}]]},
            "Model": {"ai_languageModel": [[{"node": "Chain", "type": "ai_languageModel", "index": 0}]]},
        },
        "settings": {"executionOrder": "v1"},
    }
