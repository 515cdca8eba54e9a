"""n8n's built-in agent tools without a workflow of their own: Calculator, Think, Wikipedia, SerpAPI.

Names and descriptions are LangChain's / n8n's, so the model sees what it sees in n8n.
Calculator and Think are pure (they run inside the workflow); Wikipedia and SerpAPI call their
HTTP APIs from an activity (`activities/ai_web_tools.py`).
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from n8n_import.plan import PlanNode
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.nodes.base import ParameterAccess

LANGCHAIN = "@n8n/n8n-nodes-langchain."
_INPUT = {"type": "object", "properties": {"input": {"type": "string"}}, "required": []}

CALCULATOR_DESCRIPTION = (
    "Useful for getting the result of a math expression. The input to this tool should be a valid "
    "mathematical expression that could be executed by a simple calculator."
)
THINK_DESCRIPTION = (
    "Use the tool to think about something. It will not obtain new information or change the "
    "database, but just append the thought to the log. Use it when complex reasoning or some cache "
    "memory is needed."
)
WIKIPEDIA_DESCRIPTION = (
    "A tool for interacting with and fetching data from the Wikipedia API. The input should always be "
    "a string query."
)
SERPAPI_DESCRIPTION = (
    "a search engine. useful for when you need to answer questions about current events. input should "
    "be a search query."
)


def calculator_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    return ToolSpec(
        node=node.name,
        kind="calculator",
        name="calculator",
        description=CALCULATOR_DESCRIPTION,
        parameters=_INPUT,
    )


def think_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    description = str(params.get("description", item, THINK_DESCRIPTION) or THINK_DESCRIPTION)
    return ToolSpec(node=node.name, kind="think", name="think", description=description, parameters=_INPUT)


def wikipedia_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    return ToolSpec(
        node=node.name,
        kind="web",
        name="wikipedia-api",
        description=WIKIPEDIA_DESCRIPTION,
        parameters=_INPUT,
        web={"service": "wikipedia"},
    )


def serpapi_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    options = params.get("options", item, {}) or {}
    return ToolSpec(
        node=node.name,
        kind="web",
        name="search",
        description=SERPAPI_DESCRIPTION,
        parameters=_INPUT,
        web={"service": "serpapi", "options": dict(options)},
        credentials={k: {"id": v.id, "name": v.name} for k, v in node.credentials.items()},
    )


SIMPLE_TOOL_BUILDERS: dict[str, Callable[[PlanNode, ParameterAccess, int], ToolSpec]] = {
    LANGCHAIN + "toolCalculator": calculator_tool,
    LANGCHAIN + "toolThink": think_tool,
    LANGCHAIN + "toolWikipedia": wikipedia_tool,
    LANGCHAIN + "toolSerpApi": serpapi_tool,
}

# What expr-eval (LangChain's Calculator) understands, within reason.
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.FloorDiv: operator.floordiv,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: getattr(math, name)
    for name in ("sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "log", "log10", "exp", "floor", "ceil")
} | {"abs": abs, "round": round, "min": min, "max": max, "ln": math.log, "log2": math.log2}
_CONSTANTS = {"PI": math.pi, "pi": math.pi, "E": math.e, "e": math.e}
_MAX_POWER = 10_000


def _evaluate(node: ast.AST) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > _MAX_POWER:
            raise ValueError("exponent too large")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return _FUNCTIONS[node.func.id](*(_evaluate(a) for a in node.args))
    raise ValueError("unsupported expression")


def _js_number(value: Any) -> str:
    """A number as JavaScript's String() writes it (LangChain returns `String(result)`)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def calculate(expression: str) -> str:
    """The Calculator tool's answer for `expression` (LangChain's wording when it cannot)."""
    text = expression.strip().replace("^", "**")
    try:
        return _js_number(_evaluate(ast.parse(text, mode="eval")))
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return "I don't know how to do that."


__all__ = ["SIMPLE_TOOL_BUILDERS", "calculate"]
