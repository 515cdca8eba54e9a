"""Typed payloads of the MCP client activities (safe to import in workflow code: pydantic only)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Transport = Literal["sse", "httpStreamable"]


class McpServerRef(BaseModel):
    """Where an MCP server is and how to reach it; credentials by reference only (never secrets)."""

    node: str
    url: str
    transport: Transport = "httpStreamable"
    # n8n's `authentication`: none, bearerAuth (httpBearerAuth), headerAuth (httpHeaderAuth).
    authentication: str = "none"
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    timeout_s: float = 60.0


class McpToolInfo(BaseModel):
    name: str
    description: str = ""
    input_schema: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class McpListInput(BaseModel):
    server: McpServerRef


class McpListOutput(BaseModel):
    tools: list[McpToolInfo]


class McpCallInput(BaseModel):
    server: McpServerRef
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class McpCallOutput(BaseModel):
    """The tool's answer: its text (text parts joined, else the content as JSON) and raw content."""

    text: str
    is_error: bool = False
    content: list[dict[str, Any]] = Field(default_factory=list)
    structured: Any = None


__all__ = [
    "McpCallInput",
    "McpCallOutput",
    "McpListInput",
    "McpListOutput",
    "McpServerRef",
    "McpToolInfo",
    "Transport",
]
