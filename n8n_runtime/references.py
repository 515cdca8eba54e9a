"""Which other nodes' data a node's expressions and code can read.

A pure node runs in an activity; shipping the whole run's data to every node would make each
call cost grow with the run. Expressions name the nodes they read (`$('X')`, `$node["X"]`,
`$items("X")`), so each node gets only those nodes' data plus the nodes between them and itself
(paired-item lineage for `$('X').item` walks through them). A reference the scan cannot resolve
(a computed name) falls back to everything.
"""

from __future__ import annotations

import re
from typing import Any

from n8n_import.plan import Plan
from n8n_runtime._param_strings import strings_in

_QUOTED = r"""\s*(['"`])((?:(?!\1).)+)\1\s*"""
_NAMED = [
    re.compile(r"\$\(" + _QUOTED + r"\)"),
    re.compile(r"\$node\[" + _QUOTED + r"\]"),
    re.compile(r"\$items\(" + _QUOTED + r"[,)]"),
]
_DOTTED = re.compile(r"\$node\.([A-Za-z_$][\w$]*)")
# `$(name)`, `$node[name]`, `$items(name)` with a computed name.
_DYNAMIC = re.compile(r"""\$\(\s*[^'"`\s)]|\$node\[\s*[^'"`\s]|\$items\(\s*[^'"`\s)]""")
# Python Code nodes: `_('X')` (n8n renames `$` to `_` for Python), and a computed `_(name)`.
_PYTHON_NAMED = re.compile(r"(?<![\w.])_\(" + _QUOTED + r"\)")
_PYTHON_DYNAMIC = re.compile(r"""(?<![\w.])_\(\s*[^'"\s)]""")

ALL = frozenset({"*"})


def named_references(parameters: dict[str, Any]) -> frozenset[str]:
    """Node names the parameters read; ``ALL`` when a name is computed at run time."""
    names: set[str] = set()
    for text in strings_in(parameters):
        if "_(" in text:
            if _PYTHON_DYNAMIC.search(text):
                return ALL
            names.update(match.group(2) for match in _PYTHON_NAMED.finditer(text))
        if "$" not in text:
            continue
        if _DYNAMIC.search(text):
            return ALL
        for pattern in _NAMED:
            names.update(match.group(2) for match in pattern.finditer(text))
        names.update(match.group(1) for match in _DOTTED.finditer(text))
    return frozenset(names)


def _reachable(plan: Plan, start: str, step: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        name = stack.pop()
        node = plan.nodes.get(name)
        if node is None:
            continue
        following = node.parents if step == "up" else [e.node for edges in node.main_outputs for e in edges]
        for other in following:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def nodes_needed(plan: Plan, node_name: str) -> frozenset[str]:
    """The nodes whose run data ``node_name`` may read; ``ALL`` if it cannot be known."""
    node = plan.nodes[node_name]
    # An AI root evaluates its sub-nodes' parameters (model, tools, memory) in its own scope.
    subs = [plan.nodes[s].parameters for names in node.sub_nodes.values() for s in names if s in plan.nodes]
    references = named_references({"": node.parameters, "subs": subs} if subs else node.parameters)
    if references is ALL:
        return ALL
    if not references:
        return frozenset()
    ancestors = _reachable(plan, node_name, "up")
    needed: set[str] = set()
    for name in references:
        if name in plan.nodes:
            needed.add(name)
            needed |= ancestors & _reachable(plan, name, "down")
    needed.discard(node_name)
    return frozenset(needed)


def needs_map(plan: Plan) -> dict[str, frozenset[str]]:
    """``nodes_needed`` for every node of the plan (computed once per run)."""
    return {name: nodes_needed(plan, name) for name in plan.nodes}
