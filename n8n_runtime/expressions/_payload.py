"""What the engine pushes into V8 for one node execution, and which other nodes it needs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from n8n_runtime.expressions.context import ExpressionContext

__all__ = ["node_payload", "referenced_nodes", "uses_lineage"]

_NODE_REF = re.compile(
    r"""\$\(\s*(['"`])(?P<a>(?:\\.|(?!\1).)*?)\1\s*\)"""
    r"""|\$node\[\s*(['"`])(?P<b>(?:\\.|(?!\3).)*?)\3\s*\]"""
    r"""|\$node\.(?P<c>[A-Za-z_$][\w$]*)"""
    r"""|\$items\(\s*(['"`])(?P<d>(?:\\.|(?!\6).)*?)\6"""
)
_LINEAGE = re.compile(r"\.(?:item\b|itemMatching\b|pairedItem\b)")


def referenced_nodes(texts: Sequence[str]) -> set[str]:
    """Node names written literally in ``$('X')``, ``$node["X"]``, ``$node.X``, ``$items("X")``.

    Computed names are found at run time instead (V8 asks for them).
    """
    names: set[str] = set()
    for text in texts:
        for m in _NODE_REF.finditer(text):
            name = m.group("a") or m.group("b") or m.group("c") or m.group("d")
            if name:
                names.add(name.replace("\\'", "'").replace('\\"', '"'))
    return names


def uses_lineage(texts: Sequence[str]) -> bool:
    """Whether the code follows paired items (``.item``, ``.itemMatching``, ``.pairedItem``)."""
    return any(_LINEAGE.search(t) for t in texts)


def node_payload(
    ctx: ExpressionContext,
    run_names: set[str],
    metas: Mapping[str, Any],
    templates: Mapping[str, int],
    *,
    lenient: bool,
) -> dict[str, Any]:
    """The JSON document ``__hive.setNode`` receives (see js/proxies.js)."""
    return {
        "node": {
            "name": ctx.node_name,
            "type": ctx.node_type,
            "typeVersion": ctx.node_version,
            "id": ctx.node_id,
            "webhookId": ctx.webhook_id,
            "parameters": ctx.node_parameters,
        },
        "runIndex": ctx.run_index,
        "mode": ctx.execution_mode,
        "inputs": ctx.inputs,
        "source": ctx.source,
        "workflow": ctx.workflow,
        "execution": {
            "id": ctx.execution_id,
            "resumeUrl": ctx.resume_url,
            "resumeFormUrl": ctx.resume_form_url,
        },
        "env": ctx.env,
        "vars": ctx.vars,
        "now": ctx.now_ms,
        "tz": ctx.timezone,
        "seed": ctx.seed_words(),
        "nodeNames": list(ctx.workflow_nodes) if ctx.workflow_nodes is not None else None,
        "executed": list(ctx.run_data),
        "nodes": metas,
        "contexts": ctx.node_context,
        "outputIndex": ctx.output_index,
        "runData": {n: ctx.run_data[n] for n in run_names},
        "paramTemplates": templates,
        "customData": ctx.custom_data,
        "staticData": ctx.static_data,
        "lenient": lenient,
    }
