"""Activities behind n8n's AI nodes: agent tools (Code, HTTP Request) and chat memory.

- The Code tool runs its JavaScript on V8 with the Code node's sandbox (a local activity: pure,
  a few milliseconds). A tool that fails answers the model with the error text, as n8n does,
  so the agent can react instead of the node failing.
- The HTTP Request tool is a regular activity (it has effects), through the HTTP Request node's
  own implementation.
- Window Buffer Memory lives in Hive's database (table ``chat_memory``), so a conversation
  survives across executions of the same workflow and session key.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.heartbeat import heartbeating
from hive_core.db.chat_memory import append_messages, recent_messages, replace_messages
from hive_core.errors import ConfigError, HiveError
from hive_core.temporal_errors import to_application_error
from n8n_import.plan import CredentialRef, PlanNode
from n8n_import.registry import NodeKind
from n8n_runtime.ai.http_tool_response import ResponseOptimizer, optimize_response
from n8n_runtime.code_python import PythonPool
from n8n_runtime.code_python.tool import PythonToolError, run_python_tool
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine
from n8n_runtime.http import CredentialSource, HttpTransportError, run_http_request, run_with_credentials
from n8n_runtime.nodes.base import NodeError, NodeRun
from n8n_runtime.params import ExpressionParameters

HTTP_NODE_TYPE = "n8n-nodes-base.httpRequest"
TOOL_CODE_TYPE = "@n8n/n8n-nodes-langchain.toolCode"


class ToolCodeInput(BaseModel):
    node: str
    code: str
    language: str = "javaScript"
    # A string, or the arguments object for a tool with an input schema.
    query: Any = None
    now_ms: int = 0
    random_seed: int = 0


class HttpToolInput(BaseModel):
    node: str
    type_version: float = 4.2
    # The tool node's parameters, evaluated, with the model's arguments already in place.
    parameters: dict[str, Any]
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    # toolHttpRequest's "Optimize Response" (`ResponseOptimizer` fields); None: the body as is.
    optimize: dict[str, Any] | None = None


class ToolOutput(BaseModel):
    """What the model gets back from a tool (always text, as LangChain tools answer)."""

    text: str
    failed: bool = False


class MemoryLoadInput(BaseModel):
    workflow_key: str
    session_key: str
    limit: int


class MemoryMessage(BaseModel):
    role: str
    content: str


class MemoryMessages(BaseModel):
    messages: list[MemoryMessage] = Field(default_factory=list)


class MemoryAppendInput(BaseModel):
    workflow_key: str
    session_key: str
    messages: list[MemoryMessage]
    # Names this write (run, node, item): a retried activity does not append twice.
    write_id: str | None = None


class MemoryReplaceInput(BaseModel):
    workflow_key: str
    session_key: str
    messages: list[MemoryMessage]


def _error_text(message: str) -> ToolOutput:
    # n8n's tools hand errors back to the model with this wording.
    return ToolOutput(text=f'There was an error: "{message}"', failed=True)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _optimized(items: list[dict[str, Any]], optimizer: ResponseOptimizer) -> ToolOutput:
    """n8n's optimizer on the response body the HTTP Request node's items came from."""
    body: Any = items
    if len(items) == 1:
        only = items[0]
        # A text (or HTML) response arrives as {"data": "..."}; a JSON object as itself.
        body = only["data"] if set(only) == {"data"} and isinstance(only["data"], str) else only
    try:
        return ToolOutput(text=optimize_response(body, optimizer))
    except (ValueError, TypeError) as exc:
        return ToolOutput(text=f'There was an error: "{exc}"')


class AiToolActivities:
    """Code and HTTP Request tools of an AI Agent."""

    def __init__(
        self, http: httpx.AsyncClient, credentials: CredentialSource, python: PythonPool | None = None
    ) -> None:
        self._http = http
        self._credentials = credentials
        # The Python Code node's pool (its limits and allowlists); made on first use otherwise.
        self._python = python

    @activity.defn(name="hive.ai.run_code_tool")
    async def run_code_tool(self, request: ToolCodeInput) -> ToolOutput:
        """Run a Code tool's JavaScript or Python with `query`; its return value must be a string."""
        if request.language == "python":
            self._python = self._python or PythonPool()
            try:
                # Off the event loop: the interpreter process may take its whole time limit.
                return ToolOutput(
                    text=await asyncio.to_thread(run_python_tool, self._python, request.code, request.query)
                )
            except PythonToolError as exc:
                return _error_text(str(exc))
        engine = ExpressionEngine()
        try:
            context = ExpressionContext(
                node_name=request.node,
                node_type=TOOL_CODE_TYPE,
                inputs=[[{"json": {"query": request.query}}]],
                now_ms=request.now_ms,
                random_seed=request.random_seed,
            )
            # `query` is a parameter of the wrapper, as n8n's sandbox hands it to the code.
            wrapped = f"return await (async (query) => {{\n{request.code}\n}})($input.first().json.query);"
            rows, _logs = engine.run_code_raw(context, wrapped, mode="all", kind="code")
        except HiveError as exc:
            return _error_text(exc.message)
        finally:
            engine.close()
        row = rows[0] if rows else {"ok": False, "error": {"message": "no result"}}
        if not row.get("ok"):
            error = row.get("error")
            message = error.get("message") if isinstance(error, dict) else str(error)
            return _error_text(str(message))
        value = row.get("v")
        if not isinstance(value, str):
            kind = (
                "an array"
                if isinstance(value, list)
                else "null"
                if value is None
                else f"a {type(value).__name__}"
            )
            return _error_text(
                f"Wrong output type returned: the response should be a string, but it is {kind}"
            )
        return ToolOutput(text=value)

    @activity.defn(name="hive.ai.run_http_tool")
    async def run_http_tool(self, request: HttpToolInput) -> ToolOutput:
        """One HTTP Request tool call; the response (JSON or text) goes back to the model."""
        node = PlanNode(
            name=request.node,
            type=HTTP_NODE_TYPE,
            type_version=request.type_version,
            kind=NodeKind.ACTIVITY,
            parameters=request.parameters,
            credentials={k: CredentialRef(**v) for k, v in request.credentials.items()},
        )
        run = NodeRun(node=node, inputs=[[{"json": {}}]], params=ExpressionParameters(node))
        try:
            async with heartbeating():
                outputs = await run_with_credentials(
                    self._credentials,
                    node.credentials,
                    lambda resolver: run_http_request(
                        run, self._http, resolver, heartbeat=activity.heartbeat
                    ),
                )
        except HttpTransportError as exc:
            return _error_text(exc.to_node_error().message)
        except (NodeError, HiveError) as exc:
            return _error_text(exc.message)
        items = [item.get("json", {}) for item in (outputs[0] or [])] if outputs else []
        if request.optimize is not None:
            return _optimized(items, ResponseOptimizer.model_validate(request.optimize))
        if len(items) == 1:
            only = items[0]
            # A text response arrives as {"data": "..."}: the model gets the text itself.
            if set(only) == {"data"} and isinstance(only["data"], str):
                return ToolOutput(text=only["data"])
            return ToolOutput(text=_as_text(only))
        return ToolOutput(text=_as_text(items))


class ChatMemoryActivities:
    """Window Buffer Memory in Hive's database (see `hive_core.db.chat_memory`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None) -> None:
        self._sessions = sessions

    def _require(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            raise to_application_error(ConfigError("this worker has no database configured for chat memory"))
        return self._sessions

    @activity.defn(name="hive.ai.load_memory")
    async def load_memory(self, request: MemoryLoadInput) -> MemoryMessages:
        """The last `limit` messages of a conversation, oldest first."""
        async with heartbeating(), self._require()() as session:
            rows = await recent_messages(session, request.workflow_key, request.session_key, request.limit)
        return MemoryMessages(messages=[MemoryMessage(role=role, content=content) for role, content in rows])

    @activity.defn(name="hive.ai.replace_memory")
    async def replace_memory(self, request: MemoryReplaceInput) -> None:
        """Replace a whole conversation (the Chat Memory Manager's delete and override)."""
        async with self._require()() as session:
            await replace_messages(
                session,
                request.workflow_key,
                request.session_key,
                [(m.role, m.content) for m in request.messages],
            )
            await session.commit()

    @activity.defn(name="hive.ai.append_memory")
    async def append_memory(self, request: MemoryAppendInput) -> None:
        """Append one exchange (or any messages) to a conversation."""
        async with heartbeating(), self._require()() as session:
            await append_messages(
                session,
                request.workflow_key,
                request.session_key,
                [(m.role, m.content) for m in request.messages],
                request.write_id,
            )
            await session.commit()


__all__ = [
    "AiToolActivities",
    "ChatMemoryActivities",
    "HttpToolInput",
    "MemoryAppendInput",
    "MemoryLoadInput",
    "MemoryMessage",
    "MemoryMessages",
    "MemoryReplaceInput",
    "ToolCodeInput",
    "ToolOutput",
]
