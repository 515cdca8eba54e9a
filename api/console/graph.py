"""The canvas of an execution: n8n's nodes at their positions, connections, and each node's state.

Pure: from the workflow's n8n JSON (nodes, connections, sticky notes) and the run's snapshot it
computes what the SVG draws — boxes, edge paths with item counts, status, timing, errors — so the
template only lays it out and the rules are unit-testable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hive_core.approvals import GateState
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot

NODE_W = 180
NODE_H = 92
PAD = 60
STICKY_TYPE = "n8n-nodes-base.stickyNote"
WAIT_TYPE = "n8n-nodes-base.wait"
# Wait nodes whose resume is a call from outside (the rest resume on a durable timer).
_WEBHOOK_RESUMES = frozenset({"webhook", "form"})

# Status key → the words shown next to the colour (colour is never the only signal).
STATUS_TEXT: dict[str, str] = {
    "waiting": "waiting",
    "running": "running",
    "succeeded": "succeeded",
    "failed": "failed",
    "skipped": "skipped",
    "disabled": "disabled",
    "approval": "waiting for approval",
    "webhook": "waiting for webhook",
    "timer": "waiting for timer",
}


@dataclass(frozen=True)
class AiInfo:
    """Who ran an AI node's LLM calls: agent, its host, model, speed."""

    agent: str | None = None
    host: str | None = None
    model: str | None = None
    tokens: int = 0
    tokens_per_s: float | None = None
    calls: int = 0

    @property
    def text(self) -> str:
        """The node box's line: ``model on agent``."""
        return " on ".join(p for p in (self.model, self.agent) if p)

    @property
    def speed(self) -> str:
        return f"{self.tokens_per_s:.0f} tok/s" if self.tokens_per_s else ""

    @property
    def detail(self) -> str:
        """The node panel's line: agent, host, model, calls, tokens, speed."""
        parts = [
            f"agent {self.agent}" + (f" ({self.host})" if self.host else "") if self.agent else "",
            f"model {self.model}" if self.model else "",
            f"{self.calls} LLM call{'s' if self.calls != 1 else ''}, {self.tokens} tokens",
            self.speed,
        ]
        return " · ".join(p for p in parts if p)


@dataclass
class CanvasNode:
    index: int
    name: str
    type: str
    x: float
    y: float
    status: str
    runs: int = 0
    duration_ms: int | None = None
    error: str | None = None
    ai: AiInfo | None = None
    is_ai: bool = False
    # Wait nodes: what a running one waits for ("webhook" or "timer"), for the live page.
    wait: str | None = None
    # Items on each output of the last run (the panel's default view).
    outputs: list[int] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def short_name(self) -> str:
        return self.name if len(self.name) <= 24 else self.name[:23] + "…"

    @property
    def type_label(self) -> str:
        return self.type.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class CanvasEdge:
    source: str
    output: int
    target: str
    kind: str  # "main" or an n8n AI connection type (ai_languageModel, ai_tool, ...)
    path: str
    label_x: float
    label_y: float
    items: int | None


@dataclass(frozen=True)
class Sticky:
    x: float
    y: float
    width: float
    height: float
    text: str
    color: int


@dataclass
class Canvas:
    nodes: list[CanvasNode]
    edges: list[CanvasEdge]
    stickies: list[Sticky]
    min_x: float
    min_y: float
    width: float
    height: float

    @property
    def view_box(self) -> str:
        return f"{self.min_x:.0f} {self.min_y:.0f} {self.width:.0f} {self.height:.0f}"


def _items(task: dict[str, Any]) -> list[int]:
    truncated = task.get("hiveTruncated")
    if isinstance(truncated, dict) and isinstance(truncated.get("items"), list):
        return [int(n) for n in truncated["items"]]
    outputs = (task.get("data") or {}).get("main") or []
    return [len(items or []) for items in outputs]


def _error_text(task: dict[str, Any]) -> str:
    error = task.get("error") or {}
    message = str(error.get("message") or "node failed")
    description = error.get("description")
    return f"{message}: {description}" if description else message


def node_status(
    node: dict[str, Any], runs: list[dict[str, Any]], snapshot: N8nRunSnapshot | None, run_open: bool
) -> str:
    """The status key of one node (see ``STATUS_TEXT``)."""
    name = node.get("name")
    if node.get("disabled"):
        return "disabled"
    if snapshot is not None:
        for gate in snapshot.approvals:
            if gate.state is GateState.PENDING and gate.node == name:
                return "approval"
        if any(running.name == name for running in snapshot.running_nodes):
            if node.get("type") == WAIT_TYPE:
                resume = (node.get("parameters") or {}).get("resume")
                if resume in _WEBHOOK_RESUMES or snapshot.status is ExecutionStatus.WAITING:
                    return "webhook"
                return "timer"
            return "running"
    if runs:
        return "failed" if runs[-1].get("executionStatus") == "error" else "succeeded"
    return "waiting" if run_open else "skipped"


def _wait_kind(node: dict[str, Any]) -> str | None:
    if node.get("type") != WAIT_TYPE:
        return None
    return "webhook" if (node.get("parameters") or {}).get("resume") in _WEBHOOK_RESUMES else "timer"


def _is_ai(node_type: str) -> bool:
    return node_type.startswith("@n8n/n8n-nodes-langchain.") or node_type.endswith(".ollama")


def has_ai_nodes(workflow: dict[str, Any]) -> bool:
    """Whether any node of the n8n JSON is an AI node (then its LLM calls are worth reading)."""
    return any(_is_ai(str(node.get("type") or "")) for node in workflow.get("nodes") or [])


def _position(node: dict[str, Any]) -> tuple[float, float]:
    position = node.get("position") or (0, 0)
    try:
        return float(position[0]), float(position[1])
    except (TypeError, ValueError, IndexError):
        return 0.0, 0.0


def _port_counts(connections: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """Outputs per source and main inputs per target, as the connections use them."""
    outputs: dict[str, int] = {}
    inputs: dict[str, int] = {}
    for source, by_type in connections.items():
        for outs in (by_type or {}).get("main") or []:
            outputs[source] = outputs.get(source, 0) + 1
            for link in outs or []:
                target = link.get("node")
                inputs[target] = max(inputs.get(target, 1), int(link.get("index") or 0) + 1)
    return outputs, inputs


def _bezier(sx: float, sy: float, tx: float, ty: float) -> tuple[str, float, float]:
    dx = max(40.0, abs(tx - sx) / 2)
    c1x, c2x = sx + dx, tx - dx
    path = f"M{sx:.0f},{sy:.0f} C{c1x:.0f},{sy:.0f} {c2x:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
    # The curve's point at t = 0.5, where the item count sits.
    return path, (sx + 3 * c1x + 3 * c2x + tx) / 8, (sy + 3 * sy + 3 * ty + ty) / 8


def build_canvas(
    workflow: dict[str, Any],
    snapshot: N8nRunSnapshot | None,
    *,
    run_open: bool,
    ai: dict[str, AiInfo] | None = None,
) -> Canvas:
    """Everything the execution page draws for ``workflow`` (n8n JSON) in the state of ``snapshot``."""
    ai = ai or {}
    run_data = snapshot.run_data if snapshot else {}
    nodes: list[CanvasNode] = []
    stickies: list[Sticky] = []
    boxes: dict[str, tuple[float, float]] = {}
    for raw in workflow.get("nodes") or []:
        x, y = _position(raw)
        if raw.get("type") == STICKY_TYPE:
            params = raw.get("parameters") or {}
            stickies.append(
                Sticky(
                    x=x,
                    y=y,
                    width=float(params.get("width") or 240),
                    height=float(params.get("height") or 160),
                    text=str(params.get("content") or ""),
                    color=int(params.get("color") or 1) if str(params.get("color") or 1).isdigit() else 1,
                )
            )
            continue
        name = str(raw.get("name"))
        runs = run_data.get(name) or []
        node_type = str(raw.get("type") or "")
        durations = [t["executionTime"] for t in runs if isinstance(t.get("executionTime"), int)]
        status = node_status(raw, runs, snapshot, run_open)
        nodes.append(
            CanvasNode(
                index=len(nodes),
                name=name,
                type=node_type,
                x=x,
                y=y,
                status=status,
                runs=len(runs),
                duration_ms=sum(durations) if durations else None,
                error=_error_text(runs[-1]) if status == "failed" else None,
                ai=ai.get(name),
                is_ai=_is_ai(node_type),
                outputs=_items(runs[-1]) if runs else [],
                wait=_wait_kind(raw),
            )
        )
        boxes[name] = (x, y)
    _sub_nodes_follow_roots(nodes, workflow.get("connections") or {}, ai)
    edges = _edges(workflow.get("connections") or {}, boxes, run_data)
    xs = [x for x, _ in boxes.values()] + [s.x for s in stickies]
    ys = [y for _, y in boxes.values()] + [s.y for s in stickies]
    right = [x + NODE_W for x, _ in boxes.values()] + [s.x + s.width for s in stickies]
    bottom = [y + NODE_H for _, y in boxes.values()] + [s.y + s.height for s in stickies]
    min_x, min_y = (min(xs) - PAD, min(ys) - PAD) if xs else (0.0, 0.0)
    max_x, max_y = (max(right) + PAD, max(bottom) + PAD) if xs else (400.0, 200.0)
    return Canvas(nodes, edges, stickies, min_x, min_y, max_x - min_x, max_y - min_y)


def _sub_nodes_follow_roots(
    nodes: list[CanvasNode], connections: dict[str, Any], ai: dict[str, AiInfo]
) -> None:
    """A sub-node (model, memory, tool) has no run of its own: it shows its root node's state."""
    by_name = {node.name: node for node in nodes}
    for source, by_type in connections.items():
        sub = by_name.get(source)
        if sub is None or sub.runs or sub.status == "disabled":
            continue
        roots = [
            link.get("node")
            for kind, ports in (by_type or {}).items()
            if kind != "main"
            for links in ports or []
            for link in links or []
        ]
        root = next((by_name[r] for r in roots if r in by_name), None)
        if root is not None:
            sub.status = root.status if root.status != "failed" else "skipped"
            sub.ai = sub.ai or ai.get(root.name)


def _edges(
    connections: dict[str, Any], boxes: dict[str, tuple[float, float]], run_data: dict[str, Any]
) -> list[CanvasEdge]:
    outputs, inputs = _port_counts(connections)
    edges: list[CanvasEdge] = []
    for source, by_type in connections.items():
        if source not in boxes:
            continue
        sx0, sy0 = boxes[source]
        totals = _output_totals(run_data.get(source) or [])
        for kind, ports in (by_type or {}).items():
            for output, links in enumerate(ports or []):
                for link in links or []:
                    target = link.get("node")
                    if target not in boxes:
                        continue
                    tx0, ty0 = boxes[target]
                    if kind == "main":
                        sy = sy0 + NODE_H * (output + 1) / (outputs.get(source, 1) + 1)
                        index = int(link.get("index") or 0)
                        ty = ty0 + NODE_H * (index + 1) / (inputs.get(target, 1) + 1)
                        path, lx, ly = _bezier(sx0 + NODE_W, sy, tx0, ty)
                        count = totals[output] if output < len(totals) else None
                    else:
                        # A sub-node (model, memory, tool) feeds its root node from below.
                        sx, sy, tx, ty = sx0 + NODE_W / 2, sy0, tx0 + NODE_W / 2, ty0 + NODE_H
                        path = f"M{sx:.0f},{sy:.0f} L{tx:.0f},{ty:.0f}"
                        lx, ly, count = (sx + tx) / 2, (sy + ty) / 2, None
                    edges.append(CanvasEdge(source, output, str(target), kind, path, lx, ly, count))
    return edges


def _output_totals(runs: list[dict[str, Any]]) -> list[int]:
    """Items each output carried, summed over the node's runs (as n8n labels loop edges)."""
    totals: list[int] = []
    for task in runs:
        for output, count in enumerate(_items(task)):
            if output == len(totals):
                totals.append(0)
            totals[output] += count
    return totals


__all__ = [
    "STATUS_TEXT",
    "AiInfo",
    "Canvas",
    "CanvasEdge",
    "CanvasNode",
    "Sticky",
    "build_canvas",
    "node_status",
]
