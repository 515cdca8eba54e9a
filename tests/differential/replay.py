"""Replay a recorded differential case through Hive's native node, the way a run executes it.

The case's node is compiled (trigger → node, one connection per input) and run by the pure-node
activity (`NodeActivities.run_pure_node` in Temporal's `ActivityEnvironment`, payloads through
the pydantic converter) with the recording's frozen clock, its credentials and a binary store on
disk. The result is reduced exactly as the recording script reduces n8n's: binary entries become
metadata plus the sha256 of their bytes, `pairedItem` is dropped (the engine assigns it, not the
node; `runNode` in n8n does not), errors are `{message, description, name}`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import ActivityEnvironment

from activities.n8n_nodes import FileAccess, NodeActivities, NodeTaskInput, NodeTaskOutput
from hive_core.binary_data import BinaryStore
from hive_core.config.models import CredentialConfig
from hive_core.errors import HiveError
from n8n_import import compile_export
from n8n_runtime.engine.traits import needs_input
from n8n_runtime.http import ConfigCredentials

Result = dict[str, Any]


def export_of(case: dict[str, Any]) -> dict[str, Any]:
    """The n8n workflow a case stands for: a manual trigger feeding every input of the node."""
    node = {"position": [200, 0], **case["node"]}
    trigger = {
        "name": "Trigger",
        "type": "n8n-nodes-base.manualTrigger",
        "typeVersion": 1,
        "position": [0, 0],
        "parameters": {},
    }
    main = [[{"node": node["name"], "type": "main", "index": i} for i in range(len(case["inputs"]))]]
    return {
        "name": f"differential {case['id']}",
        "nodes": [trigger, node],
        "connections": {"Trigger": {"main": main}},
        "settings": {"executionOrder": "v1", **case.get("settings", {})},
    }


def describe_binary(binary: dict[str, Any], store: BinaryStore) -> dict[str, Any]:
    """Binary entries by content: metadata plus the bytes' sha256 and length."""
    out: dict[str, Any] = {}
    for key, entry in binary.items():
        if not isinstance(entry, dict):
            out[key] = entry
            continue
        meta = {k: v for k, v in entry.items() if k not in ("data", "id", "directory")}
        binary_id = entry.get("id")
        if isinstance(binary_id, str) and binary_id.startswith("filesystem-v2:"):
            data = store.read(binary_id)
        else:
            import base64

            data = base64.b64decode(str(entry.get("data") or ""))
        out[key] = {**meta, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return out


def normalize_outputs(outputs: list[Any] | None, store: BinaryStore) -> list[Any] | None:
    """Hive's outputs reduced like the recording's."""
    if outputs is None:
        return None
    result: list[Any] = []
    for items in outputs:
        if not isinstance(items, list):
            result.append(items)
            continue
        reduced = []
        for item in items:
            rest = {k: v for k, v in item.items() if k != "pairedItem"}
            if isinstance(rest.get("binary"), dict):
                rest["binary"] = describe_binary(rest["binary"], store)
                if not rest["binary"]:
                    del rest["binary"]
            reduced.append(rest)
        result.append(reduced)
    return result


class HiveReplayer:
    """Runs cases through the pure-node activity; one instance per test session."""

    def __init__(self, root: Path) -> None:
        self.store = BinaryStore(root)
        self._env = ActivityEnvironment()
        self._converter = pydantic_data_converter.payload_converter
        self._http = httpx.AsyncClient()

    async def close(self) -> None:
        await self._http.aclose()

    async def run(self, case: dict[str, Any]) -> Result:
        """Hive's `{outputs, error}` for one case."""
        try:
            plan = compile_export(export_of(case))[0]
        except HiveError as error:
            return {
                "outputs": None,
                "error": {"message": error.message, "description": None, "name": "CompileError"},
            }
        if not any(case["inputs"]) and needs_input(plan.nodes[case["node"]["name"]]):
            # n8n's rule, which Hive's scheduler applies too: a node without input items does not run.
            return {"outputs": None, "error": None}
        credentials = {
            f"cred-{kind}": CredentialConfig(type=kind, data=data)
            for kind, data in (case.get("credentials") or {}).items()
        }
        activities = NodeActivities(
            self._http, ConfigCredentials(credentials), files=FileAccess(store=self.store)
        )
        task = NodeTaskInput(
            plan_json=plan.model_dump_json(),
            node=case["node"]["name"],
            inputs=case["inputs"],
            run_index=0,
            source=[None for _ in case["inputs"]],
            execution_id="differential",
            now_ms=case["now_ms"],
        )
        try:
            # The payload conversions a local activity pays: what Hive's workflow would see.
            decoded = self._converter.from_payloads(self._converter.to_payloads([task]), [NodeTaskInput])[0]
            output: NodeTaskOutput = await self._env.run(activities.run_pure_node, decoded)
            output = self._converter.from_payloads(self._converter.to_payloads([output]), [NodeTaskOutput])[0]
        finally:
            activities.close()
        failure = output.error
        if failure is not None:
            return {
                "outputs": None,
                "error": {
                    "message": failure.message,
                    "description": failure.description,
                    "name": failure.name,
                },
            }
        return {"outputs": normalize_outputs(output.outputs, self.store), "error": None}


__all__ = ["HiveReplayer", "describe_binary", "export_of", "normalize_outputs"]
