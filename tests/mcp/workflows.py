"""The n8n workflows the MCP tests serve as tools."""

from __future__ import annotations

import json
from typing import Any

from tests.builders import chain, node

SUM_CODE = "const j = $input.first().json; return [{json: {sum: j.a + j.b, note: j.note ?? null}}];"


def adder() -> dict[str, Any]:
    """Execute Workflow Trigger with typed fields → Code: `{sum}`."""
    trigger = node("When called", "executeWorkflowTrigger", 1.1)
    trigger["parameters"] = {
        "workflowInputs": {
            "values": [{"name": "a", "type": "number"}, {"name": "b", "type": "number"}, {"name": "note"}]
        }
    }
    workflow = chain("Add numbers", [trigger, node("Sum", "code", 2, 100, jsCode=SUM_CODE)])
    workflow["id"] = "wf-adder"
    workflow["description"] = "Adds a and b."
    return workflow


def broken() -> dict[str, Any]:
    workflow = chain(
        "Always fails",
        [
            node("Start", "manualTrigger", 1),
            node("Explode", "code", 2, 100, jsCode="throw new Error('boom');"),
        ],
    )
    workflow["id"] = "wf-broken"
    return workflow


def slow() -> dict[str, Any]:
    workflow = chain(
        "Slow one",
        [
            node("Start", "manualTrigger", 1),
            node("Pause", "wait", 1.1, 100, amount=2, unit="seconds"),
            node("Done", "set", 3.4, 200, mode="raw", jsonOutput='{"done": true}'),
        ],
    )
    workflow["id"] = "wf-slow"
    return workflow


def hidden() -> dict[str, Any]:
    workflow = chain("Not active", [node("Start", "manualTrigger", 1), node("Done", "noOp", 1, 100)])
    workflow["id"] = "wf-hidden"
    return workflow


__all__ = ["adder", "broken", "hidden", "mcp_trigger", "slow"]


def mcp_trigger(path: str = "tools", authentication: str = "none") -> dict[str, Any]:
    """An MCP Server Trigger serving a Code tool and a Call n8n Workflow tool (inline child)."""
    child = chain("child", [node("In", "executeWorkflowTrigger", 1.1), node("Echo", "noOp", 1, 100)])
    child["nodes"][0]["parameters"] = {"workflowInputs": {"values": [{"name": "word"}]}}
    lc = "@n8n/n8n-nodes-langchain."
    trigger = {
        "name": "MCP Server Trigger",
        "type": lc + "mcpTrigger",
        "typeVersion": 2,
        "position": [0, 0],
        "webhookId": "5e2c1a9b-mcp",
        "parameters": {"path": path, "authentication": authentication},
    }
    if authentication == "bearerAuth":
        trigger["credentials"] = {"httpBearerAuth": {"id": "1", "name": "MCP token"}}
    greet = {
        "name": "Greet",
        "type": lc + "toolCode",
        "typeVersion": 1.3,
        "position": [0, 200],
        "parameters": {"description": "Greets someone", "jsCode": "return 'Hello, ' + query + '!';"},
    }
    echo = {
        "name": "Echo word",
        "type": lc + "toolWorkflow",
        "typeVersion": 2.2,
        "position": [200, 200],
        "parameters": {
            "description": "Echoes a word through a sub-workflow",
            "source": "parameter",
            "workflowJson": json.dumps(child),
            "workflowInputs": {
                "value": {"word": "={{ $fromAI('word', 'the word to echo', 'string') }}"},
                "schema": [{"id": "word", "type": "string"}],
                "mappingMode": "defineBelow",
            },
        },
    }
    to_trigger = [[{"node": "MCP Server Trigger", "type": "ai_tool", "index": 0}]]
    return {
        "id": f"wf-mcp-{path}",
        "name": f"MCP tools {path}",
        "nodes": [trigger, greet, echo],
        "connections": {"Greet": {"ai_tool": to_trigger}, "Echo word": {"ai_tool": to_trigger}},
        "settings": {"executionOrder": "v1"},
    }
