"""What an n8n expression may see while one node runs (n8n's WorkflowDataProxy inputs).

Data shapes are n8n's own, as plain dicts and lists:

* item: ``{"json": {...}, "binary"?: {...}, "pairedItem"?: {"item": int, "input"?: int} | [...] | int}``
* run data (n8n ``ITaskData``), per node a list of runs::

      run_data["Set"] = [{"startTime": ms, "executionTime": ms, "executionStatus": "success",
                          "source": [{"previousNode": "X", "previousNodeOutput": 0,
                                      "previousNodeRun": 0}],
                          "data": {"main": [[item, ...], [item, ...]]}}]

Create one context per node execution (run) and change only ``item_index`` and
``parameter_path`` between evaluations: the engine pushes the node's data into V8 the first time
it sees a context object and reuses it afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_TIMEZONE", "ExpressionContext", "Item", "SourceData", "TaskData"]

Item = dict[str, Any]
SourceData = dict[str, Any]
TaskData = Mapping[str, Any]

# n8n's default GENERIC_TIMEZONE.
DEFAULT_TIMEZONE = "America/New_York"


@dataclass
class ExpressionContext:
    """Inputs of n8n's data proxy for one node execution.

    Attributes:
        node_name: The running node (``$('…')`` errors and ``$prevNode`` are relative to it).
        node_type: Full n8n type (``n8n-nodes-base.set``); Code/Function types change some
            error wording, as in n8n.
        node_version: ``typeVersion`` (``$nodeVersion``).
        node_parameters: The node's raw parameters (``$parameter``; ``=`` values are evaluated).
        inputs: Items per main input index; ``$input``/``$json`` read input 0.
        run_data: Run data of the nodes that ran so far (see the module docstring).
        source: Per input index, where the input came from (``previousNode``, ``…Output``,
            ``…Run``), or None; n8n's ``executeData.source.main``.
        item_index: The item the next evaluation is for.
        run_index: How many times this node ran before in this execution.
        parameter_path: Set by the engine to the parameter being evaluated (for errors).
        workflow: ``{"id", "name", "active"}``.
        execution_id / execution_mode / resume_url / resume_form_url: ``$execution``
            (``execution_mode`` is n8n's raw mode: manual, trigger, webhook, …).
        env: The allow-listed environment variables (``$env``).
        vars: ``$vars``.
        now_ms: The workflow's current time (``$now``, ``Date.now()``).
        timezone: IANA zone of ``$now``/``DateTime`` (the workflow setting).
        random_seed: Seed of ``Math.random`` (mixed with node name and run index).
        workflow_nodes: All nodes of the workflow by name: ``{"type", "typeVersion",
            "parameters"}``. Enables "Referenced node doesn't exist" and ``$('X').params``.
        node_context: n8n node context per node name (``$node["X"].context``).
        output_index: For each ancestor, the output index on the path to this node (the
            default branch of ``$('X').all()`` and ``$node["X"]``); 0 when absent.
        custom_data: ``$execution.customData``; updated in place after Code nodes.
        static_data: Workflow static data ``{"global": {...}, "node": {...}}``; updated in place.
    """

    node_name: str
    node_type: str = "n8n-nodes-base.set"
    node_version: float = 1
    node_parameters: Mapping[str, Any] = field(default_factory=dict)
    inputs: Sequence[Sequence[Item]] = field(default_factory=lambda: [[]])
    run_data: Mapping[str, Sequence[TaskData]] = field(default_factory=dict)
    source: Sequence[SourceData | None] = field(default_factory=list)
    item_index: int = 0
    run_index: int = 0
    parameter_path: str = ""
    workflow: Mapping[str, Any] = field(default_factory=lambda: {"id": "", "name": "", "active": False})
    execution_id: str = ""
    execution_mode: str = "manual"
    resume_url: str | None = None
    resume_form_url: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, Any] = field(default_factory=dict)
    now_ms: int = 0
    timezone: str = DEFAULT_TIMEZONE
    random_seed: int = 0
    workflow_nodes: Mapping[str, Mapping[str, Any]] | None = None
    node_context: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    output_index: Mapping[str, int] = field(default_factory=dict)
    custom_data: dict[str, str] = field(default_factory=dict)
    static_data: dict[str, Any] = field(default_factory=dict)
    node_id: str | None = None
    webhook_id: str | None = None

    @property
    def input_items(self) -> Sequence[Item]:
        """Items of input 0 (what ``$input.all()`` returns)."""
        return self.inputs[0] if self.inputs else []

    def seed_words(self) -> list[int]:
        """Four 32-bit words for the PRNG: a function of seed, node and run only."""
        digest = hashlib.sha256(
            f"{self.random_seed}\x00{self.node_name}\x00{self.run_index}".encode()
        ).digest()
        return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]

    def ancestors(self) -> set[str]:
        """Nodes reachable backwards through ``source`` links of the run data."""
        seen: set[str] = set()
        todo: list[SourceData | None] = list(self.source)
        while todo:
            src = todo.pop()
            if not src:
                continue
            name = src.get("previousNode")
            if not isinstance(name, str) or name in seen:
                continue
            seen.add(name)
            runs = self.run_data.get(name) or []
            run = src.get("previousNodeRun") or 0
            if 0 <= run < len(runs):
                todo.extend(runs[run].get("source") or [])
        return seen
