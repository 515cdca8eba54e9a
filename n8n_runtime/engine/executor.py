"""`LocalExecutor`: runs pure node functions in-process (inside the workflow, deterministically).

It turns a scheduler `NodeRequest` into the `NodeRun` of the node contract, calls the node function
and turns what happens into a `NodeResult`. Side-effect nodes are executed elsewhere (activities)
by another `NodeExecutor`; a router can combine both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from n8n_runtime.engine.types import NodeFailure, NodeRequest, NodeResult
from n8n_runtime.nodes.base import NodeError, NodeFunction, NodeRun, ParameterAccess
from n8n_runtime.nodes.control._common import error_parts
from n8n_runtime.params import ExpressionParameters

ParamsFactory = Callable[[NodeRequest], ParameterAccess]
ExtrasFactory = Callable[[NodeRequest], dict[str, Any]]


def literal_parameters(request: NodeRequest) -> ParameterAccess:
    """Parameters without an expression engine (literal values only)."""
    return ExpressionParameters(request.node)


class LocalExecutor:
    """Calls `functions[node.type]` for each request."""

    def __init__(
        self,
        functions: Mapping[str, NodeFunction],
        *,
        params_factory: ParamsFactory = literal_parameters,
        extras_factory: ExtrasFactory | None = None,
    ) -> None:
        """Args:
        functions: node type -> implementation (usually `NODE_FUNCTIONS`).
        params_factory: builds the node's `ParameterAccess` (with its expression scope).
        extras_factory: extra hooks for nodes that need them (Code node runner, ...).
        """
        self._functions = functions
        self._params_factory = params_factory
        self._extras_factory = extras_factory

    async def __call__(self, request: NodeRequest) -> NodeResult:
        """Run the node; node failures come back as `NodeResult.error`, not as exceptions."""
        function = self._functions.get(request.node.type)
        if function is None:
            return NodeResult(error=NodeFailure(f"Unsupported node type '{request.node.type}'"))
        extras: dict[str, Any] = {
            "source": request.source,
            "connection_input": request.connection_input,
            "execution": request.execution,
            "timezone": request.execution.plan.settings.timezone,
        }
        if self._extras_factory is not None:
            extras.update(self._extras_factory(request))
        run = NodeRun(
            node=request.node,
            inputs=request.inputs,
            params=self._params_factory(request),
            run_index=request.run_index,
            state=request.state,
            extras=extras,
        )
        try:
            outputs = function(run)
        except NodeError as error:
            return NodeResult(error=_failure(error), state=run.state)
        except Exception as error:  # n8n turns every error a node throws into a node error
            return NodeResult(error=_failure(error), state=run.state)
        # A node that returns no outputs at all is n8n's `return null` (nothing recorded).
        return NodeResult(outputs=outputs if outputs else None, state=run.state)


def _failure(error: Exception) -> NodeFailure:
    if isinstance(error, NodeError):
        return NodeFailure(error.message, description=error.description, item_index=error.item_index)
    message, description, item_index = error_parts(error)
    # n8n's message stays exact (corpus parity); where it happened travels beside it.
    details = getattr(error, "details", None)
    extra: dict[str, Any] = {}
    if isinstance(details, dict) and details.get("parameter"):
        extra["parameter"] = details["parameter"]
    full = getattr(error, "message", None)
    if isinstance(full, str) and full != message:
        extra["hiveMessage"] = full
    return NodeFailure(
        message, description=description, item_index=item_index, name=type(error).__name__, extra=extra
    )


__all__ = ["ExtrasFactory", "LocalExecutor", "ParamsFactory", "literal_parameters"]
