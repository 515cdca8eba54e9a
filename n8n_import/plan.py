"""The typed plan (IR) the generic Temporal workflow interprets.

Plain pydantic models, JSON-serialisable (the plan travels as a Temporal payload) and frozen.
Parameters are kept raw: expressions stay strings starting with "=" for the runtime to evaluate.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hive_core.config.model_aliases import ModelAliases
from n8n_import.diagnostics import Diagnostic
from n8n_import.model import ExecutionOrder, OnError
from n8n_import.registry import NodeKind

Item = dict[str, Any]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Edge(_Frozen):
    """A connection end: the child node and which of its inputs receives the items."""

    node: str
    input_index: int = 0


class Source(_Frozen):
    """A connection start, seen from the child: the parent node and its output index."""

    node: str
    output_index: int = 0


class NodeSettings(_Frozen):
    """Per-node run settings, already resolved the way n8n's engine resolves them."""

    retry_on_fail: bool = False
    # Attempts in total: 1 without retry; with retry maxTries (default 3, at least 2) — no
    # upper cap, unlike n8n's 5.
    max_tries: int = 1
    # Pause between attempts: 0 without retry; with retry default 1000 ms — no 5 s cap.
    wait_between_tries_ms: int = 0
    on_error: OnError = "stopWorkflow"
    execute_once: bool = False
    always_output_data: bool = False


class CredentialRef(_Frozen):
    """Which credential a node uses (never the secret)."""

    id: str | None = None
    name: str | None = None


class RoutePin(_Frozen):
    """Where an AI node's LLM calls must run, from a `hive: agent=<id>` or
    `hive: capability=<name>` line in the node's n8n notes (None: any agent serving the model)."""

    agent: str | None = None
    capability: str | None = None


class ApprovalMark(_Frozen):
    """An approval gate marked by the workflow's author: `hive: approval [timeout=1h]` in a node's
    notes, or the workflow tag `hive:approval` (see `n8n_import._approvals`)."""

    # None: `security.approval_timeout` of the cluster that runs it.
    timeout_s: float | None = None


class PlanNode(_Frozen):
    """One executable node with its resolved ports and edges."""

    name: str
    id: str | None = None
    type: str
    type_version: int | float
    kind: NodeKind
    parameters: dict[str, Any] = Field(default_factory=dict)
    disabled: bool = False
    settings: NodeSettings = Field(default_factory=NodeSettings)
    credentials: dict[str, CredentialRef] = Field(default_factory=dict)
    # Main outputs including n8n's extra error output (last) when on_error=continueErrorOutput.
    output_count: int = 1
    error_output_index: int | None = None
    main_outputs: list[list[Edge]] = Field(default_factory=list)
    input_count: int = 1
    # input_sources[i] = the (parent, output) pairs feeding input i, in connection order.
    input_sources: list[list[Source]] = Field(default_factory=list)
    parents: list[str] = Field(default_factory=list)
    # Sub-nodes attached by `ai_*` connections: {connection type: [sub-node names]}.
    sub_nodes: dict[str, list[str]] = Field(default_factory=dict)
    # Canvas position: n8n's v1 order sorts sibling branches by it.
    position: tuple[float, float] = (0.0, 0.0)
    notes: str | None = None
    webhook_id: str | None = None
    # AI nodes: the routing pinned in the node's notes.
    route: RoutePin | None = None
    # The node waits for an approver before it runs (only when the cluster requires approval).
    approval: ApprovalMark | None = None
    # Who executes it: Hive's own implementation, or n8n's on the node host (node_host/).
    runner: Literal["native", "node_host"] = "native"
    # Model sub-nodes: the cluster model its calls use, when the model is not an expression.
    cluster_model: str | None = None


class PlanSettings(_Frozen):
    """Workflow-level settings the runtime honours."""

    error_workflow: str | None = None
    timezone: str | None = None
    caller_policy: str | None = None
    caller_ids: str | None = None
    execution_timeout_s: int | None = None
    save_manual_executions: bool | None = None
    save_execution_progress: bool | None = None
    save_data_error_execution: str | None = None
    save_data_success_execution: str | None = None


class Plan(_Frozen):
    """A compiled workflow."""

    workflow_id: str | None = None
    name: str = ""
    execution_order: ExecutionOrder = "v0"
    settings: PlanSettings = Field(default_factory=PlanSettings)
    # In the export's node order (sticky notes dropped).
    nodes: dict[str, PlanNode]
    # Enabled trigger nodes in export order, or the parentless nodes when there is no trigger.
    start_nodes: list[str]
    # Pinned output per node, items normalised to {"json": {...}, ...}.
    pin_data: dict[str, list[Item]] = Field(default_factory=dict)
    static_data: dict[str, Any] | None = None
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    # The whole run waits for an approver before any node runs (when the cluster requires approval).
    approval: ApprovalMark | None = None
    # Task queue of the n8n node host, for nodes with runner="node_host".
    node_host_queue: str = "hive-n8n-nodes"
    # A node-host step waiting this long for a node host says so in the run's logs (and waits on).
    node_host_wait_notice_s: float = 30.0
    # Provider model → cluster model table, when a provider model node is present.
    model_aliases: ModelAliases | None = None

    def node(self, name: str) -> PlanNode:
        """The node called `name` (KeyError if absent)."""
        return self.nodes[name]

    def children(self, name: str, output_index: int = 0) -> list[Edge]:
        """Edges leaving output `output_index` of node `name` (empty if none)."""
        outputs = self.nodes[name].main_outputs
        return outputs[output_index] if 0 <= output_index < len(outputs) else []

    def parents(self, name: str) -> list[str]:
        """Distinct main-connection parents of node `name`, in connection order."""
        return self.nodes[name].parents


__all__ = [
    "ApprovalMark",
    "CredentialRef",
    "Edge",
    "Item",
    "NodeSettings",
    "Plan",
    "PlanNode",
    "PlanSettings",
    "RoutePin",
    "Source",
]
