"""What Hive's MCP server serves: tools from providers, each a durable run behind a name.

A provider (`ToolProvider`) lists its tools and runs a call. Stored workflows are one provider
(`hive_mcp.workflow_tools`); a built-in workflow such as a code review is just another provider
(or an active workflow), so the server itself never changes for a new kind of tool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

# Progress of one call: (finished steps so far, a line naming the step).
ProgressFn = Callable[[float, str], Awaitable[None]]


@dataclass(frozen=True)
class HiveTool:
    """One MCP tool: what the client sees, and the provider-specific target that runs it."""

    name: str
    description: str
    input_schema: dict[str, Any]
    target: str
    provider: str


@dataclass
class ToolOutcome:
    """A call's answer: text for the model, structured JSON for programs, or an error."""

    text: str
    structured: dict[str, Any] | None = None
    is_error: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


class ToolError(Exception):
    """A call that cannot run as asked (bad arguments, unknown tool): an `isError` answer."""


@dataclass(frozen=True)
class CallContext:
    """Who calls and how long to wait for the run (seconds; 0: answer with the id at once)."""

    wait_seconds: float
    progress: ProgressFn
    # False when the caller's role may not start runs (checked by each provider before it runs).
    may_run: bool = True


class ToolProvider(Protocol):
    """A source of tools: listed on every `tools/list`, called by name."""

    name: str

    async def tools(self) -> list[HiveTool]:
        """The tools this provider serves now."""
        ...

    async def call(self, tool: HiveTool, arguments: dict[str, Any], ctx: CallContext) -> ToolOutcome:
        """Run one call of `tool` (raise ToolError for a call that cannot run)."""
        ...


__all__ = ["CallContext", "HiveTool", "ProgressFn", "ToolError", "ToolOutcome", "ToolProvider"]
