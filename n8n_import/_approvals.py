"""Approval markings: which nodes, or the whole workflow, wait for an approver before running.

A workflow author marks them in the n8n editor, without any Hive-specific node:

- a node: a line in the node's **notes** (Settings → Notes), `hive: approval` or
  `hive: approval timeout=1h` (seconds, or a number with s/m/h/d);
- the whole workflow: a workflow **tag** named `hive:approval` (or `hive:approval timeout=2h`).

Pure text parsing; whether gates are honoured is the cluster's `security.require_approval`,
decided when the run starts, not here.
"""

from __future__ import annotations

import re
from typing import Any

from n8n_import.diagnostics import Diagnostic, error
from n8n_import.model import N8nNode, N8nWorkflow
from n8n_import.plan import ApprovalMark, PlanNode
from n8n_import.registry import format_version

_LINE = re.compile(r"^\s*hive\s*:\s*(?P<body>.*?)\s*$", re.IGNORECASE)
# Anything starting like "approv…" is meant as a marking, so a typo is reported, not ignored.
_APPROVAL_WORD = re.compile(r"^approv", re.IGNORECASE)
_MARKING = re.compile(r"^approval(?:\s+timeout\s*=\s*(?P<timeout>\S+))?$", re.IGNORECASE)
_DURATION = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>[smhd]?)$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86_400}
_USAGE = 'use "hive: approval" or "hive: approval timeout=<seconds or 30m, 2h, 1d>"'


def is_approval_line(body: str) -> bool:
    """Whether a `hive:` directive's body is an approval marking (so routing pins skip it)."""
    return _APPROVAL_WORD.match(body.strip()) is not None


def parse_approval(text: str) -> tuple[ApprovalMark | None, str | None]:
    """The marking in one `hive:` directive (`hive: approval timeout=1h`), or the problem with it."""
    line = _LINE.match(text)
    if line is None or not is_approval_line(line.group("body")):
        return None, None
    marking = _MARKING.match(line.group("body"))
    if marking is None:
        return None, f'"{text.strip()}" is not an approval marking ({_USAGE})'
    raw = marking.group("timeout")
    if raw is None:
        return ApprovalMark(), None
    duration = _DURATION.match(raw)
    seconds = (
        float(duration.group("number")) * _UNIT_SECONDS[duration.group("unit").lower()] if duration else 0
    )
    if seconds <= 0:
        return None, f'approval timeout "{raw}" is not a positive duration ({_USAGE})'
    return ApprovalMark(timeout_s=seconds), None


def _parse_lines(lines: list[str], what: str) -> tuple[ApprovalMark | None, list[str]]:
    found: ApprovalMark | None = None
    problems: list[str] = []
    for text in lines:
        mark, problem = parse_approval(text)
        if problem is not None:
            problems.append(problem)
        elif mark is not None:
            if found is not None and found != mark:
                problems.append(f"{what} carry two different approval markings")
                continue
            found = mark
    return found, problems


def node_approval(notes: str | None) -> tuple[ApprovalMark | None, list[str]]:
    """The approval marking in a node's notes (None when unmarked) and problems found."""
    return _parse_lines(notes.splitlines(), "notes") if notes else (None, [])


def _tag_name(tag: Any) -> str | None:
    # n8n exports tags as {"id", "name", ...}; some tools write plain strings.
    if isinstance(tag, str):
        return tag
    if isinstance(tag, dict) and isinstance(tag.get("name"), str):
        return str(tag["name"])
    return None


def workflow_approval(workflow: N8nWorkflow) -> tuple[ApprovalMark | None, list[str]]:
    """The workflow-level marking from its tags (`hive:approval`) and problems found."""
    names = [name for name in map(_tag_name, workflow.tags) if name is not None]
    return _parse_lines(names, "tags")


def apply_approval_marks(
    workflow: N8nWorkflow, nodes: list[N8nNode], plan_nodes: dict[str, PlanNode], sub_nodes: set[str]
) -> tuple[dict[str, PlanNode], ApprovalMark | None, list[Diagnostic]]:
    """Plan nodes with their `approval` set, the workflow's own marking, and diagnostics.

    A marking on an AI sub-node (model, memory, tool) is an error: its root runs it, so a gate
    there would never be reached; mark the root node instead.
    """
    diags: list[Diagnostic] = []
    marked = dict(plan_nodes)
    for node in nodes:
        mark, problems = node_approval(node.notes)
        where: dict[str, Any] = {
            "node": node.name,
            "node_type": f"{node.type}@{format_version(node.typeVersion)}",
            "field": "notes",
        }
        diags.extend(error(problem, **where) for problem in problems)
        if mark is None or node.name not in marked:
            continue
        if node.name in sub_nodes:
            diags.append(error("an AI sub-node cannot be gated; mark the node it is attached to", **where))
            continue
        marked[node.name] = marked[node.name].model_copy(update={"approval": mark})
    gate, problems = workflow_approval(workflow)
    diags.extend(error(problem, field="tags") for problem in problems)
    return marked, gate, diags


__all__ = ["apply_approval_marks", "is_approval_line", "node_approval", "parse_approval", "workflow_approval"]
