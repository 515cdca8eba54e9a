"""Typed values exchanged between the scheduler and whoever executes a node.

Run data stays n8n-shaped (plain JSON dicts with n8n's camelCase keys) because the expression engine,
the API and the corpus comparer all read it the way n8n writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from n8n_import.plan import Plan, PlanNode
from n8n_runtime.nodes.base import Item, NodeOutput

# n8n's ISourceData: {"previousNode": str, "previousNodeOutput": int, "previousNodeRun": int}.
SourceData = dict[str, Any]
# n8n's ITaskData: {"startTime", "executionTime", "executionIndex", "executionStatus", "source",
# "data": {"main": [[items] | None, ...]}, "error"?}.
TaskData = dict[str, Any]
RunData = dict[str, list[TaskData]]


class RunStatus(StrEnum):
    """How a run ended."""

    SUCCESS = "success"
    ERROR = "error"


@dataclass(frozen=True)
class NodeFailure:
    """Why a node run failed (n8n's NodeOperationError, reduced to what survives serialisation)."""

    message: str
    description: str | None = None
    item_index: int | None = None
    name: str = "NodeOperationError"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_error(self, node: PlanNode) -> dict[str, Any]:
        """The error object n8n stores in run data and in the result (`{message, name, ...}`)."""
        context: dict[str, Any] = {}
        if self.item_index is not None:
            context["itemIndex"] = self.item_index
        error: dict[str, Any] = {
            **self.extra,
            "message": self.message,
            "name": self.name,
            "context": context,
            "node": {"name": node.name, "type": node.type, "typeVersion": node.type_version},
        }
        if self.description is not None:
            error["description"] = self.description
        return error


@dataclass
class ExecutionState:
    """What expressions may read about the run so far (n8n's IRunExecutionData, read-only)."""

    plan: Plan
    run_data: RunData
    # Node context per node (n8n's `getContext('node')`; `$node["X"].context` in expressions).
    node_contexts: dict[str, dict[str, Any]]


@dataclass
class NodeRequest:
    """One execution of one node, as the scheduler asks for it."""

    node: PlanNode
    # Items per main input (Merge has 2+); an input that received nothing is [].
    inputs: list[list[Item]]
    run_index: int
    # n8n's `source.main`: where each input's items came from (None for an input without data).
    source: list[SourceData | None]
    # The items expressions see as `$input` / `$json` (n8n's connectionInputData).
    connection_input: list[Item]
    # The node's context from its previous runs in this execution (Split In Batches keeps its queue).
    state: dict[str, Any]
    execution: ExecutionState


@dataclass
class NodeResult:
    """What executing a node produced; exactly one of `outputs` / `error` is meaningful.

    `outputs=None` without an error is n8n's `return null`: the node ran but the branch ends and no
    run is recorded.
    """

    outputs: NodeOutput | None = None
    error: NodeFailure | None = None
    start_time_ms: int | None = None
    execution_time_ms: int | None = None
    # The node's context after this run; None keeps the previous one.
    state: dict[str, Any] | None = None


class NodeExecutor(Protocol):
    """Runs one node: in-workflow for pure nodes, through an activity for side effects."""

    async def __call__(self, request: NodeRequest) -> NodeResult: ...


@dataclass
class RunResult:
    """The outcome of a whole run, n8n-shaped where n8n has a shape."""

    status: RunStatus
    run_data: RunData
    node_execution_order: list[str]
    last_node_executed: str | None = None
    error: dict[str, Any] | None = None
    node_contexts: dict[str, dict[str, Any]] = field(default_factory=dict)


__all__ = [
    "ExecutionState",
    "NodeExecutor",
    "NodeFailure",
    "NodeRequest",
    "NodeResult",
    "RunData",
    "RunResult",
    "RunStatus",
    "SourceData",
    "TaskData",
]
