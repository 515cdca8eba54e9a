"""n8n refuses Respond to Webhook below a Form Trigger from 2.2 on, and only below it."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export


def _node(name: str, kind: str, version: float, **parameters: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": f"n8n-nodes-base.{kind}",
        "typeVersion": version,
        "position": [0, 0],
        "parameters": parameters,
    }


def _workflow(respond_under: str) -> dict[str, Any]:
    nodes = [
        _node("Form", "formTrigger", 2.2, formTitle="Hi", formFields={"values": [{"fieldLabel": "Name"}]}),
        _node("Hook", "webhook", 2, path="hook", responseMode="responseNode"),
        _node("Respond", "respondToWebhook", 1.1, respondWith="text", responseBody="ok"),
        _node("Set", "noOp", 1),
    ]
    other = "Hook" if respond_under == "Form" else "Form"
    connections = {
        respond_under: {"main": [[{"node": "Respond", "type": "main", "index": 0}]]},
        other: {"main": [[{"node": "Set", "type": "main", "index": 0}]]},
    }
    return {"name": "forms", "nodes": nodes, "connections": connections, "settings": {"executionOrder": "v1"}}


def test_respond_below_the_form_trigger_is_refused() -> None:
    with pytest.raises(CompileError) as caught:
        compile_export(_workflow("Form"))
    messages = [d["message"] for d in caught.value.details["diagnostics"] if d["severity"] == "error"]
    assert any('"Respond to Webhook" node is not supported' in m for m in messages)


def test_respond_reached_from_another_trigger_is_fine() -> None:
    assert compile_export(_workflow("Hook"))
