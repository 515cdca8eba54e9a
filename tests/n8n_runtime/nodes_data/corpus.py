"""Run n8n's own test workflows node by node and compare with their pinData.

Each expected node's input is built by running its single-parent chain from the trigger. Nodes are
executed with the data-node functions; expressions go through the real ``ExpressionParameters``
when it exists. Until the expression engine and Code runner land, a test-only V8 fallback
(mini-racer) evaluates ``{{ }}`` over ``$json`` and runs Code/Function nodes that return data;
anything else (``$node``, Luxon in expressions, multi-parent nodes) is reported as skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from n8n_import.plan import PlanNode
from n8n_import.registry import NodeKind
from n8n_runtime.jsvalues import UNDEFINED, is_equal
from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from n8n_runtime.nodes.data import DATA_NODES
from n8n_runtime.nodes.files import FILE_NODES
from tests.n8n_runtime.nodes_data.helpers import LiteralParams

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "n8n-corpus"
FOLDERS = [
    "Set", "SplitOut", "Aggregate", "Limit", "Sort", "RemoveDuplicates", "Summarize", "RenameKeys",
    "DateTime", "Code", "ItemLists", "CompareDatasets", "Xml", "Html", "HtmlExtract", "Markdown",
    "ExecutionData", "DebugHelper", "ConvertToFile", "Files", "ExtractFromFile",
]  # fmt: skip
TRIGGERS = {"n8n-nodes-base.manualTrigger", "n8n-nodes-base.start"}
CODE_TYPES = {"n8n-nodes-base.code", "n8n-nodes-base.function", "n8n-nodes-base.functionItem"}


class Skip(Exception):
    """The workflow needs something this harness cannot provide."""


@dataclass
class FileResult:
    file: str
    passed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def corpus_files() -> list[Path]:
    """The workflow files of the data-node folders."""
    if not CORPUS.is_dir():
        return []
    return [p for folder in FOLDERS for p in sorted((CORPUS / folder).glob("*.json"))]


def normalise(items: list[Item] | None) -> list[dict[str, Any]] | None:
    """Drop pairedItem and empty binary; wrap bare items."""
    if items is None:
        return None
    result = []
    for item in items:
        entry = dict(item) if "json" in item else {"json": item}
        entry.pop("pairedItem", None)
        if not entry.get("binary"):
            entry.pop("binary", None)
        result.append(entry)
    return result


class _V8:
    """Test-only fallback: ``$json`` expressions and data-returning Code nodes in mini-racer."""

    def __init__(self) -> None:
        from py_mini_racer import MiniRacer

        self.ctx = MiniRacer()

    def call(self, source: str) -> Any:
        text = self.ctx.eval(source)
        return json.loads(text) if isinstance(text, str) else text

    def expression(self, template: str, data: dict[str, Any], index: int) -> Any:
        if re.search(r"\$node|\$\(|DateTime|\$now|\$today|\$items|\$env|\$execution|\$workflow", template):
            raise Skip(f"expression needs the expression engine: {template[:60]}")
        body = template[1:]
        parts = re.split(r"\{\{(.*?)\}\}", body, flags=re.S)
        src = (
            "(function($json, $index){ const __p = [];"
            + "".join(
                f"__p.push({json.dumps(p)});" if k % 2 == 0 else f"__p.push(({p}));"
                for k, p in enumerate(parts)
            )
            + "const v = (__p.length === 3 && __p[0] === '' && __p[2] === '') ? __p[1] : __p.join('');"
            + "return JSON.stringify(v === undefined ? {u: 1} : {v: v}); })"
            + f"({json.dumps(data)}, {index})"
        )
        result = self.call(src)
        return UNDEFINED if "u" in result else result["v"]

    def code(self, node: PlanNode, items: list[Item]) -> list[Item]:
        params = node.parameters
        code = params.get("jsCode", params.get("functionCode", ""))
        if node.type == "n8n-nodes-base.functionItem" or params.get("mode") == "runOnceForEachItem":
            raise Skip("per-item Code needs the Code runner")
        if (
            re.search(r"\$input|\$\(|\$node|await|console", code)
            or params.get("language", "javaScript") != "javaScript"
        ):
            raise Skip("Code node needs the Code runner")
        src = (
            f"(function(items){{ const $now = undefined; const r = (function(){{ {code} }})();"
            "return JSON.stringify(r === undefined ? null : r); })"
            f"({json.dumps(items)})"
        )
        result = self.call(src)
        if isinstance(result, dict):
            result = [result]
        if not isinstance(result, list):
            raise Skip("Code node returned a non-list")
        return [r if isinstance(r, dict) and "json" in r else {"json": r} for r in result]


class _FallbackParams(LiteralParams):
    def __init__(self, parameters: dict[str, Any], items: list[Item], v8: _V8) -> None:
        super().__init__(parameters)
        self._items = items
        self._v8 = v8

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any:
        value = self.raw(path, default)
        data = self._items[item_index]["json"] if item_index < len(self._items) else {}
        return self._evaluate(value, data, item_index)

    def _evaluate(self, value: Any, data: dict[str, Any], index: int) -> Any:
        if isinstance(value, str) and value.startswith("="):
            return self._v8.expression(value, data, index) if "{{" in value else value[1:]
        if isinstance(value, dict):
            return {k: self._evaluate(v, data, index) for k, v in value.items()}
        if isinstance(value, list):
            return [self._evaluate(v, data, index) for v in value]
        return value


def _params(node: PlanNode, items: list[Item], v8: _V8) -> Any:
    # n8n_runtime.params (the real ExpressionParameters) had not landed when this was written.
    return _FallbackParams(node.parameters, items, v8)


def run_file(path: Path) -> FileResult:
    """Run every expected node of one corpus workflow."""
    workflow = json.loads(path.read_text())
    result = FileResult(path.relative_to(CORPUS).as_posix())
    nodes = {
        n["name"]: PlanNode(
            name=n["name"],
            type=n["type"],
            type_version=n.get("typeVersion", 1),
            kind=NodeKind.DATA,
            parameters=n.get("parameters", {}),
        )  # fmt: skip
        for n in workflow["nodes"]
        if not n.get("disabled")
    }
    always_output = {n["name"] for n in workflow["nodes"] if n.get("alwaysOutputData")}
    # n8n's continueOnFail (onError continueRegularOutput): a failing node passes its input on.
    continue_on_fail = {
        n["name"]
        for n in workflow["nodes"]
        if n.get("continueOnFail") or n.get("onError") == "continueRegularOutput"
    }
    parents: dict[str, list[str]] = {}
    for source, conns in workflow.get("connections", {}).items():
        for output_index, targets in enumerate(conns.get("main", [])):
            for target in targets or []:
                parents.setdefault(target["node"], []).append(f"{source}#{output_index}")
    settings = workflow.get("settings") or {}
    extras = {"timezone": settings.get("timezone") or "America/New_York"}
    v8 = _V8()
    cache: dict[str, list[Item]] = {}

    def output_of(name: str) -> list[Item]:
        if name in cache:
            return cache[name]
        node = nodes[name]
        if node.type in TRIGGERS:
            cache[name] = [{"json": {}}]
            return cache[name]
        sources = parents.get(name, [])
        if len(sources) != 1 or not sources[0].endswith("#0"):
            raise Skip(f"'{name}' has several or non-main inputs (needs the scheduler)")
        items = output_of(sources[0].rsplit("#", 1)[0])
        if node.type == "n8n-nodes-base.noOp":
            out = items
        elif node.type in CODE_TYPES:
            out = v8.code(node, items)
        elif node.type in DATA_NODES or node.type in FILE_NODES:
            # File nodes without a store keep bytes inline (n8n's default binary mode).
            function = DATA_NODES.get(node.type) or FILE_NODES[node.type]
            run = NodeRun(node=node, inputs=[items], params=_params(node, items, v8), extras=dict(extras))
            try:
                out = function(run)[0] or []
            except NodeError:
                if name not in continue_on_fail:
                    raise
                out = items
            if not out and name in always_output:
                out = [{"json": {}}]
        else:
            raise Skip(f"node type {node.type} is not a data node")
        cache[name] = [{k: v for k, v in item.items() if k != "pairedItem"} for item in out]
        return cache[name]

    for name, expected in (workflow.get("pinData") or {}).items():
        try:
            actual = output_of(name)
        except Skip as reason:
            result.skipped[name] = str(reason)
            continue
        except NodeError as error:
            if "JavaScript runtime is unavailable" in error.message:
                result.skipped[name] = error.message
            else:
                result.failed[name] = f"NodeError: {error.message}"
            continue
        if is_equal(normalise(actual), normalise(expected)):
            result.passed.append(name)
        else:
            result.failed[name] = f"expected {normalise(expected)!r:.300} got {normalise(actual)!r:.300}"
    return result
