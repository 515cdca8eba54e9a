"""typeVersions n8n does not list: a plain node type runs at any (warning), a versioned one is refused.

n8n's NodeHelpers.getVersionedNodeType returns a plain node's one description whatever the
typeVersion; only a VersionedNodeType looks the version up (and finds nothing).
"""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_import.node_catalog import load_catalog


def _flow(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "versions",
        "nodes": [
            {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0],
             "parameters": {}},
            {"name": "Step", "position": [200, 0], **step},
        ],
        "connections": {"Start": {"main": [[{"node": "Step", "type": "main", "index": 0}]]}},
    }  # fmt: skip


def _warnings(step: dict[str, Any]) -> list[str]:
    [plan] = compile_export(_flow(step))
    return [d.message for d in plan.diagnostics if d.severity.value == "warning" and d.node == "Step"]


def test_catalog_tells_plain_from_versioned_types() -> None:
    catalog = load_catalog()
    assert catalog.get("n8n-nodes-base.openAi").versioned is False  # type: ignore[union-attr]
    assert catalog.get("n8n-nodes-base.set").versioned is True  # type: ignore[union-attr]


def test_plain_native_node_at_an_unknown_version_compiles_with_a_warning() -> None:
    step = {
        "type": "n8n-nodes-base.openAi",
        "typeVersion": 1.8,
        "parameters": {"resource": "chat", "prompt": {"messages": [{"role": "user", "content": "hi"}]}},
    }
    notes = _warnings(step)
    assert any(n.startswith("typeVersion 1.8 is not one n8n defines (1, 1.1)") for n in notes), notes
    [plan] = compile_export(_flow(step))
    assert plan.nodes["Step"].type_version == 1.8  # the node still sees its own typeVersion


def test_plain_node_host_node_at_an_unknown_version_compiles_with_a_warning() -> None:
    step = {
        "type": "n8n-nodes-base.coda",
        "typeVersion": 1.5,
        "parameters": {"resource": "table", "operation": "getAllRows", "docId": "d", "tableId": "t"},
        "credentials": {"codaApi": {"id": "1", "name": "Coda"}},
    }
    notes = _warnings(step)
    assert any("1.5 is not one n8n defines (1, 1.1)" in n for n in notes), notes
    [plan] = compile_export(_flow(step))
    assert plan.nodes["Step"].runner == "node_host"


@pytest.mark.parametrize(
    ("node_type", "version", "fragment"),
    [
        ("n8n-nodes-base.set", 9, "unsupported typeVersion 9"),  # native, versioned
        ("n8n-nodes-base.airtable", 7, "unsupported typeVersion 7 (n8n defines 1, 2, 2.1)"),  # node host
    ],
)
def test_versioned_node_at_an_unknown_version_is_still_an_error(
    node_type: str, version: float, fragment: str
) -> None:
    with pytest.raises(CompileError) as caught:
        compile_export(_flow({"type": node_type, "typeVersion": version, "parameters": {}}))
    messages = [d["message"] for d in caught.value.details["diagnostics"] if d["severity"] == "error"]
    assert any(fragment in m for m in messages), messages
