"""The n8n workflows the MCP tests serve as tools."""

from __future__ import annotations

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


__all__ = ["adder", "broken", "hidden", "slow"]
