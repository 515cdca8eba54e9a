"""Control-flow nodes (If, Filter, Switch, Merge, Split In Batches, Stop and Error, No Op) and the
trigger pass-throughs, as `(NodeRun) -> NodeOutput` functions keyed by full node type."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.control.execute_workflow import run_execute_workflow
from n8n_runtime.nodes.control.filter_node import run_filter
from n8n_runtime.nodes.control.if_node import run_if
from n8n_runtime.nodes.control.merge import run_merge
from n8n_runtime.nodes.control.passthrough import run_passthrough, run_trigger
from n8n_runtime.nodes.control.respond_to_webhook import run_respond_to_webhook
from n8n_runtime.nodes.control.split_in_batches import run_split_in_batches
from n8n_runtime.nodes.control.stop_and_error import run_stop_and_error
from n8n_runtime.nodes.control.switch_node import run_switch
from n8n_runtime.nodes.control.wait_node import run_wait

_BASE = "n8n-nodes-base."
_TRIGGERS = (
    "manualTrigger",
    "start",
    "executeWorkflowTrigger",
    "errorTrigger",
    "scheduleTrigger",
    "cron",
    "interval",
    "webhook",
)

CONTROL_NODES: dict[str, NodeFunction] = {
    _BASE + "if": run_if,
    _BASE + "filter": run_filter,
    _BASE + "switch": run_switch,
    _BASE + "merge": run_merge,
    _BASE + "noOp": run_passthrough,
    _BASE + "splitInBatches": run_split_in_batches,
    _BASE + "stopAndError": run_stop_and_error,
    _BASE + "wait": run_wait,
    _BASE + "executeWorkflow": run_execute_workflow,
    _BASE + "respondToWebhook": run_respond_to_webhook,
    **{_BASE + name: run_trigger for name in _TRIGGERS},
}

__all__ = ["CONTROL_NODES"]
