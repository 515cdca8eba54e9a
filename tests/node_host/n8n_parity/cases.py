"""The parity workflows (`workflows/*.json`), their credentials and recorded fixtures.

A workflow names run-specific values by placeholder (see `comparer.restore_placeholders`);
`materialise` fills them in. A placeholder that is a whole string value (a port) becomes that
value's JSON type (a number) so credential fields keep n8n's types.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKFLOWS = HERE / "workflows"
FIXTURES = HERE / "fixtures"
CREDENTIALS = HERE / "credentials.json"
# Types that stay native in Hive's run: they only feed the nodes under test.
NOT_UNDER_TEST = frozenset({"n8n-nodes-base.manualTrigger", "n8n-nodes-base.code"})


def case_names() -> list[str]:
    return sorted(p.stem for p in WORKFLOWS.glob("*.json"))


def load_workflow(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = json.loads((WORKFLOWS / f"{name}.json").read_text())
    return workflow


def workflow_digest(name: str) -> str:
    """sha256 of the workflow file: a fixture recorded from another version of it is stale."""
    return hashlib.sha256((WORKFLOWS / f"{name}.json").read_bytes()).hexdigest()


def types_under_test(workflow: dict[str, Any]) -> frozenset[str]:
    """Every node type of the workflow but its trigger and data Code nodes (forced onto the node host)."""
    return frozenset(n["type"] for n in workflow["nodes"]) - NOT_UNDER_TEST


def materialise(value: Any, values: dict[str, str]) -> Any:
    """`value` with every placeholder replaced by this run's value."""
    if isinstance(value, str):
        if value in values and values[value].isdigit():
            return int(values[value])
        for placeholder, actual in values.items():
            value = value.replace(placeholder, actual)
        return value
    if isinstance(value, list):
        return [materialise(v, values) for v in value]
    if isinstance(value, dict):
        return {k: materialise(v, values) for k, v in value.items()}
    return value


def credentials(values: dict[str, str]) -> list[dict[str, Any]]:
    """The credentials the workflows use, as `n8n import:credentials` reads them (decrypted)."""
    creds: list[dict[str, Any]] = materialise(json.loads(CREDENTIALS.read_text()), values)
    return creds


def load_fixture(name: str) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return fixture


__all__ = [
    "FIXTURES",
    "WORKFLOWS",
    "case_names",
    "credentials",
    "load_fixture",
    "load_workflow",
    "materialise",
    "types_under_test",
    "workflow_digest",
]
