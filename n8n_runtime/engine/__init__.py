"""The pure scheduler that runs a compiled plan with n8n's execution semantics.

`WorkflowRun(plan, trigger_items=..., clock=...).run(executor)` drives the node execution stack
(v0 and v1 orders, waiting multi-input nodes, pinned data, disabled nodes, executeOnce,
alwaysOutputData, onError) and returns n8n-shaped run data. `LocalExecutor` runs pure node
functions in-process; activities can implement `NodeExecutor` for side-effect nodes.
"""

from __future__ import annotations

from n8n_runtime.engine.executor import LocalExecutor, literal_parameters
from n8n_runtime.engine.scheduler import ENDLESS_LOOP, WorkflowRun
from n8n_runtime.engine.types import (
    ExecutionState,
    NodeExecutor,
    NodeFailure,
    NodeRequest,
    NodeResult,
    RunData,
    RunResult,
    RunStatus,
    SourceData,
    TaskData,
)

__all__ = [
    "ENDLESS_LOOP",
    "ExecutionState",
    "LocalExecutor",
    "NodeExecutor",
    "NodeFailure",
    "NodeRequest",
    "NodeResult",
    "RunData",
    "RunResult",
    "RunStatus",
    "SourceData",
    "TaskData",
    "WorkflowRun",
    "literal_parameters",
]
