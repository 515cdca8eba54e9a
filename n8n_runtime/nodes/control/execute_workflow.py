"""Execute Workflow (v1–1.2): the pure half. It resolves which workflow to run and how.

The sub-workflow itself runs as a Temporal child workflow started by the interpreter; this
function only reads the parameters (which may hold expressions) and, for an inline workflow
(`source: parameter`), compiles it, so a broken sub-workflow is a clear node error.
"""

from __future__ import annotations

import json
from typing import Any

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

SUBWORKFLOW_KEY = "hive_subworkflow"


def _workflow_id(value: Any) -> str:
    if isinstance(value, dict):  # resource locator {"__rl": true, "value": "...", "mode": "id"}
        value = value.get("value")
    if value is None or not str(value).strip():
        raise NodeError("No workflow ID given for 'workflowId'")
    return str(value).strip()


def run_execute_workflow(run: NodeRun) -> NodeOutput:
    """Pass the items through; record the sub-workflow to start in ``run.state``."""
    source = run.params.get("source", 0, "database")
    mode = run.params.get("mode", 0, "once")
    wait = run.params.get("options.waitForSubWorkflow", 0, True)
    call: dict[str, Any] = {"mode": mode, "wait": bool(wait)}
    if source == "database":
        call["workflow_id"] = _workflow_id(run.params.get("workflowId", 0))
    elif source == "parameter":
        text = run.params.get("workflowJson", 0)
        try:
            data = json.loads(text) if isinstance(text, str) else text
            (plan,) = compile_export(data)[:1]
        except (json.JSONDecodeError, ValueError) as exc:
            raise NodeError(f"The workflow JSON in 'workflowJson' is invalid: {exc}") from None
        except CompileError as exc:
            raise NodeError(f"The sub-workflow cannot run: {exc.message}") from None
        call["plan_json"] = plan.model_dump_json()
    else:
        raise NodeError(f"Source {source!r} is not supported (use database or parameter)")
    run.state[SUBWORKFLOW_KEY] = call
    return [list(run.items)]
