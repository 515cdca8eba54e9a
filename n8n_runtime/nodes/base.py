"""The contract between the scheduler and node implementations.

A node implementation is a pure function ``(NodeRun) -> NodeOutput``: it reads its input items
and its parameters (expressions resolved per item through ``run.params``) and returns items per
output index. No I/O, no clock, no randomness: side effects belong to activities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from n8n_import.plan import PlanNode

Item = dict[str, Any]
# Items per output index; None for an output that produced nothing (n8n's null branch).
NodeOutput = list[list[Item] | None]


class ParameterAccess(Protocol):
    """n8n's ``this.getNodeParameter(path, itemIndex, fallback)``.

    ``path`` is a dot path into the node's raw parameters (``"conditions.string"``,
    ``"assignments.assignments"``); expressions (strings starting with ``=``) anywhere under it
    are evaluated for input item ``item_index``. Missing → ``default``.
    """

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any: ...

    def raw(self, path: str, default: Any = None) -> Any:
        """The unevaluated parameter value."""
        ...


class NodeError(Exception):
    """A node failed on its input; the scheduler applies the node's ``onError`` setting.

    ``item_index`` names the failing item when known (n8n's ``continueErrorOutput`` routes that
    item to the error output).
    """

    def __init__(
        self, message: str, *, description: str | None = None, item_index: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.description = description
        self.item_index = item_index


@dataclass
class NodeRun:
    """Everything one execution of one node may look at."""

    node: PlanNode
    # Items per main input index (Merge has 2+); an input that received nothing is [].
    inputs: list[list[Item]]
    params: ParameterAccess
    run_index: int = 0
    # Node-scoped state that survives between runs of the same node in one execution
    # (Split In Batches keeps its remaining items here), JSON-serialisable.
    state: dict[str, Any] = field(default_factory=dict)
    # Optional hooks for nodes that run user code (Code node), filled by the runtime.
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def items(self) -> list[Item]:
        """Items of input 0 (most nodes have a single input)."""
        return self.inputs[0] if self.inputs else []


NodeFunction = Callable[[NodeRun], NodeOutput]
