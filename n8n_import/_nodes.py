"""Build one `PlanNode`: resolve settings, port counts and edges against the graph."""

from __future__ import annotations

from n8n_import._ai_routing import parse_route
from n8n_import.diagnostics import Diagnostic, error, warning
from n8n_import.graph import Graph
from n8n_import.model import N8nNode
from n8n_import.plan import CredentialRef, Edge, NodeSettings, PlanNode, Source
from n8n_import.registry import NodeKind, NodeSpec, format_version


def node_type_label(node: N8nNode) -> str:
    """`n8n-nodes-base.set@3.4`."""
    return f"{node.type}@{format_version(node.typeVersion)}"


def resolve_settings(node: N8nNode) -> NodeSettings:
    """Per-node settings with n8n's defaults (WorkflowExecute), but without its caps.

    n8n clamps maxTries to 2..5 and waitBetweenTries to 0..5000 ms; Hive retries through
    Temporal, which has no reason for either cap, so only the lower bounds are kept.
    """
    retry = node.retryOnFail
    return NodeSettings(
        retry_on_fail=retry,
        max_tries=max(2, node.maxTries or 3) if retry else 1,
        wait_between_tries_ms=max(0, node.waitBetweenTries if node.waitBetweenTries is not None else 1000)
        if retry
        else 0,
        on_error=node.onError or "stopWorkflow",
        execute_once=node.executeOnce,
        always_output_data=node.alwaysOutputData,
    )


def _last_used(slots: list[list[Edge]] | list[list[Source]]) -> int:
    """Index of the last non-empty slot, -1 if none."""
    for i in range(len(slots) - 1, -1, -1):
        if slots[i]:
            return i
    return -1


def build_plan_node(node: N8nNode, spec: NodeSpec, graph: Graph) -> tuple[PlanNode, list[Diagnostic]]:
    """The plan node for `node`, plus warnings about connections its ports cannot carry."""
    diags: list[Diagnostic] = []
    where = {"node": node.name, "node_type": node_type_label(node)}
    settings = resolve_settings(node)
    has_error_output = settings.on_error == "continueErrorOutput"

    outputs = graph.outputs[node.name]
    main_count = spec.output_count(node.typeVersion, node.parameters)
    if main_count is None:  # set by an expression: trust the connections
        main_count = max(1, _last_used(outputs) + 1 - (1 if has_error_output else 0))
    output_count = main_count + (1 if has_error_output else 0)
    if _last_used(outputs) >= output_count:
        diags.append(
            warning(
                f"connections from output {_last_used(outputs)} are ignored: the node has "
                f"{output_count} output(s)",
                field=f'connections["{node.name}"].main',
                **where,
            )
        )
    main_outputs = [list(outputs[i]) if i < len(outputs) else [] for i in range(output_count)]

    inputs = graph.inputs[node.name]
    input_count = spec.input_count(node.typeVersion, node.parameters)
    if input_count is None:
        input_count = max(1, _last_used(inputs) + 1)
    if spec.kind is NodeKind.TRIGGER and inputs:
        # n8n passes items straight through a trigger that is not where the run started.
        input_count = max(input_count, _last_used(inputs) + 1)
    if _last_used(inputs) >= input_count:
        diags.append(
            warning(
                f"connections into input {_last_used(inputs)} are ignored: "
                f"the node has {input_count} input(s)",
                field="inputs",
                **where,
            )
        )
    input_sources = [list(inputs[i]) if i < len(inputs) else [] for i in range(input_count)]

    route, route_problems = parse_route(node.notes) if spec.kind is not NodeKind.ANNOTATION else (None, [])
    diags.extend(error(problem, field="notes", **where) for problem in route_problems)
    plan_node = PlanNode(
        name=node.name,
        id=node.id,
        type=node.type,
        type_version=node.typeVersion,
        kind=spec.kind,
        parameters=node.parameters,
        disabled=node.disabled,
        settings=settings,
        credentials={k: CredentialRef(id=v.id, name=v.name) for k, v in node.credentials.items()},
        output_count=output_count,
        error_output_index=main_count if has_error_output else None,
        main_outputs=main_outputs,
        input_count=input_count,
        input_sources=input_sources,
        parents=graph.parents[node.name],
        sub_nodes=graph.sub_nodes.get(node.name, {}),
        position=node.position,
        notes=node.notes,
        webhook_id=node.webhookId,
        route=route,
    )
    return plan_node, diags


__all__ = ["build_plan_node", "node_type_label", "resolve_settings"]
