"""`hive_execution_result`: the output of a run a tool call left running (by its execution id)."""

from __future__ import annotations

from typing import Any

from hive_core.errors import HiveError
from hive_mcp.backend import HiveBackend
from hive_mcp.runs import follow
from hive_mcp.tools import CallContext, HiveTool, ToolError, ToolOutcome

RESULT_TOOL = "hive_execution_result"
PROVIDER = "executions"
_SCHEMA = {
    "type": "object",
    "properties": {
        "execution_id": {"type": "string", "pattern": "^hive-exec-", "description": "from a tool's answer"},
        "wait_seconds": {
            "type": "number",
            "minimum": 0,
            "description": "seconds to wait for it (default: the server's)",
        },
    },
    "required": ["execution_id"],
    "additionalProperties": False,
}


class ExecutionResults:
    """One tool: wait for (and return) the output of an execution started by an earlier call."""

    name = PROVIDER

    def __init__(self, backend: HiveBackend) -> None:
        self._backend = backend

    async def tools(self) -> list[HiveTool]:
        return [
            HiveTool(
                name=RESULT_TOOL,
                description="The output of a Hive execution that an earlier tool call left running "
                "(its execution_id), waiting for it to finish.",
                input_schema=_SCHEMA,
                target=RESULT_TOOL,
                provider=PROVIDER,
            )
        ]

    async def call(self, tool: HiveTool, arguments: dict[str, Any], ctx: CallContext) -> ToolOutcome:
        wait = float(arguments.get("wait_seconds", ctx.wait_seconds))
        try:
            return await follow(self._backend.temporal, str(arguments["execution_id"]), ctx.progress, wait)
        except HiveError as exc:
            raise ToolError(exc.message) from None


__all__ = ["RESULT_TOOL", "ExecutionResults"]
