"""Compile n8n workflows into plans: validate everything, collect every diagnostic, raise once."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES, ModelAliases
from hive_core.errors import CompileError
from n8n_import._ai_checks import check_ai_wiring
from n8n_import._ai_model_checks import check_model_nodes
from n8n_import._approvals import apply_approval_marks
from n8n_import._checks import check_node
from n8n_import._form_checks import check_forms
from n8n_import._node_host import CompileOptions, choose, plain_any_version, unknown_version_warning
from n8n_import._nodes import build_plan_node, node_type_label
from n8n_import.ai_models import model_node, self_model_node
from n8n_import.diagnostics import Diagnostic, Severity, error, format_errors, raise_if_errors, warning
from n8n_import.graph import Graph, build_graph, forbidden_cycles, reachable
from n8n_import.model import N8nNode, N8nWorkflow
from n8n_import.parse import ExportData, parse_export
from n8n_import.plan import Item, Plan, PlanNode, PlanSettings
from n8n_import.registry import NodeKind, NodeSpec, format_version, get_spec, supported_types


def compile_workflow(
    workflow: N8nWorkflow, options: CompileOptions | None = None, *, aliases: ModelAliases | None = None
) -> Plan:
    """Compile one workflow.

    `options`: how the n8n node host is used and which model aliases apply (defaults without
    hive.yaml); `aliases` overrides the options' table of provider → cluster models.

    Raises:
        CompileError: with every error found; `details["diagnostics"]` lists them (and warnings).
    """
    plan, diags = _compile(workflow, label=None, options=_with_aliases(options, aliases))
    raise_if_errors(diags, workflow=workflow.name)
    if plan is None:  # pragma: no cover - _compile only withholds the plan when there are errors
        raise CompileError(format_errors(diags))
    return plan


def compile_export(
    data: ExportData, options: CompileOptions | None = None, *, aliases: ModelAliases | None = None
) -> list[Plan]:
    """Parse and compile every workflow of an export; errors of all workflows raise together.

    `options` and `aliases` as for `compile_workflow`.
    """
    workflows = parse_export(data)
    options = _with_aliases(options, aliases)
    many = len(workflows) > 1
    plans: list[Plan] = []
    diags: list[Diagnostic] = []
    for index, workflow in enumerate(workflows):
        label = (workflow.name or f"#{index}") if many else None
        plan, found = _compile(workflow, label=label, options=options)
        diags.extend(found)
        if plan is not None:
            plans.append(plan)
    raise_if_errors(diags)
    return plans


def _with_aliases(options: CompileOptions | None, aliases: ModelAliases | None) -> CompileOptions:
    options = options or CompileOptions()
    return replace(options, aliases=aliases) if aliases is not None else options


def _compile(
    workflow: N8nWorkflow, label: str | None, options: CompileOptions
) -> tuple[Plan | None, list[Diagnostic]]:
    aliases = options.aliases if options.aliases is not None else DEFAULT_MODEL_ALIASES
    diags: list[Diagnostic] = []
    specs, annotations, on_node_host = _check_nodes(workflow.nodes, diags, options)
    nodes = [n for n in workflow.nodes if n.name not in annotations]
    graph, graph_diags = build_graph(workflow.connections, [n.name for n in nodes], annotations)
    diags.extend(graph_diags)
    by_name = {n.name: n for n in nodes}

    diags.extend(check_ai_wiring(nodes, specs, graph))
    diags.extend(check_forms(nodes, graph))
    model_diags, cluster_models = check_model_nodes([n for n in nodes if n.name in specs], aliases)
    diags.extend(model_diags)
    start_nodes = _start_nodes(nodes, specs, graph, diags)
    legacy_order = workflow.settings.executionOrder == "v0"
    _check_reachability(graph, start_nodes, by_name, diags, legacy_order=legacy_order)
    for cycle in forbidden_cycles(graph, {name for name, spec in specs.items() if spec.loop}):
        first = by_name[cycle[0]]
        diags.append(
            error(
                "cycle without a loop node (Split In Batches / Loop Over Items): " + " → ".join(cycle),
                node=first.name,
                node_type=node_type_label(first),
                field="connections",
            )
        )
    pin_data = _pin_data(workflow, by_name, diags)
    if any(d.severity is Severity.ERROR for d in diags):
        return None, _labelled(diags, label)

    plan_nodes: dict[str, PlanNode] = {}
    for node in nodes:
        plan_node, node_diags = build_plan_node(node, specs[node.name], graph)
        if node.name in on_node_host:
            plan_node = plan_node.model_copy(update={"runner": "node_host"})
        if node.name in cluster_models:
            plan_node = plan_node.model_copy(update={"cluster_model": cluster_models[node.name]})
        plan_nodes[node.name] = plan_node
        diags.extend(node_diags)
    plan_nodes, workflow_gate, approval_diags = apply_approval_marks(
        workflow, nodes, plan_nodes, set(graph.sub_node_of)
    )
    diags.extend(approval_diags)
    settings = workflow.settings
    timeout = settings.executionTimeout
    plan = Plan(
        workflow_id=workflow.id,
        name=workflow.name,
        execution_order=settings.executionOrder,
        settings=PlanSettings(
            error_workflow=settings.errorWorkflow,
            timezone=settings.timezone,
            caller_policy=settings.callerPolicy,
            caller_ids=settings.callerIds,
            execution_timeout_s=timeout if timeout is not None and timeout > 0 else None,
            save_manual_executions=settings.saveManualExecutions,
            save_execution_progress=settings.saveExecutionProgress,
            save_data_error_execution=settings.saveDataErrorExecution,
            save_data_success_execution=settings.saveDataSuccessExecution,
        ),
        nodes=plan_nodes,
        start_nodes=start_nodes,
        pin_data=pin_data,
        static_data=_static_data(workflow.staticData),
        diagnostics=_labelled(diags, label),
        approval=workflow_gate,
        node_host_queue=options.node_host_queue,
        node_host_wait_notice_s=options.node_host_wait_notice_s,
        # Models named by expressions are mapped when they run, with the same table.
        model_aliases=aliases if any(model_node(n.type) or self_model_node(n.type) for n in nodes) else None,
    )
    return plan, plan.diagnostics


def _static_data(value: Any) -> dict[str, Any] | None:
    """Workflow static data; database exports sometimes carry it as a JSON string."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    return value if isinstance(value, dict) else None


def _labelled(diags: list[Diagnostic], label: str | None) -> list[Diagnostic]:
    """Tag diagnostics with the workflow they belong to (multi-workflow exports only)."""
    if label is None:
        return diags
    return [d.model_copy(update={"workflow": label}) for d in diags]


def _check_nodes(
    nodes: list[N8nNode], diags: list[Diagnostic], options: CompileOptions
) -> tuple[dict[str, NodeSpec], set[str], set[str]]:
    """Duplicate names, node types, typeVersions and parameters.

    Returns specs, annotations and the nodes that run on the node host.
    """
    specs: dict[str, NodeSpec] = {}
    annotations: set[str] = set()
    on_node_host: set[str] = set()
    first_index: dict[str, int] = {}
    supported_hint = "supported: " + ", ".join(t.rsplit(".", 1)[-1] for t in supported_types())
    for index, node in enumerate(nodes):
        where: dict[str, Any] = {"node": node.name, "node_type": node_type_label(node)}
        if node.name in first_index:
            diags.append(
                error(
                    f"duplicate node name (also nodes[{first_index[node.name]}])",
                    field=f"nodes[{index}].name",
                    **where,
                )
            )
        else:
            first_index[node.name] = index
        version_note = unknown_version_warning(node)
        if version_note is not None:
            diags.append(warning(version_note, field="typeVersion", **where))
        choice = choose(node, options)
        if choice is not None:
            for field, message, hint in choice.errors:
                diags.append(error(message, field=field, hint=hint, **where))
            if choice.spec is not None:
                specs[node.name] = choice.spec
                on_node_host.add(node.name)
            for field, message in check_node(node):
                diags.append(error(message, field=field, **where))
            continue
        spec = get_spec(node.type)
        if spec is None:
            diags.append(error("unsupported node type", field="type", hint=supported_hint, **where))
        elif not spec.supports(node.typeVersion) and not plain_any_version(node.type):
            versions = ", ".join(format_version(v) for v in spec.versions)
            diags.append(
                error(
                    f"unsupported typeVersion {format_version(node.typeVersion)} (supported {versions})",
                    field="typeVersion",
                    **where,
                )
            )
        elif spec.kind is NodeKind.ANNOTATION:
            annotations.add(node.name)
            continue
        else:
            specs[node.name] = spec
        for field, message in check_node(node):
            diags.append(error(message, field=field, **where))
    return specs, annotations, on_node_host


def _start_nodes(
    nodes: list[N8nNode], specs: dict[str, NodeSpec], graph: Graph, diags: list[Diagnostic]
) -> list[str]:
    triggers = [n for n in nodes if n.name in specs and specs[n.name].kind is NodeKind.TRIGGER]
    enabled = [n.name for n in triggers if not n.disabled]
    if enabled:
        return enabled
    roots = [
        n.name
        for n in nodes
        if not n.disabled and not graph.parents[n.name] and n.name not in graph.sub_node_of
    ]
    if roots:
        reason = "all trigger nodes are disabled" if triggers else "no trigger node"
        diags.append(warning(f"{reason}; runs start from the nodes without inputs: " + ", ".join(roots)))
        return roots
    reason = "all trigger nodes are disabled" if triggers else "every node has an incoming connection"
    diags.append(error(f"no trigger or start node ({reason})", field="nodes"))
    return []


def _check_reachability(
    graph: Graph,
    start_nodes: list[str],
    by_name: dict[str, N8nNode],
    diags: list[Diagnostic],
    *,
    legacy_order: bool,
) -> None:
    if not start_nodes:
        return
    seen = reachable(graph, start_nodes, pull_join_ancestors=legacy_order)
    for name in graph.names:
        if name not in seen:
            node = by_name[name]
            diags.append(
                warning(
                    "not reachable from any trigger or start node; n8n never runs it",
                    node=name,
                    node_type=node_type_label(node),
                )
            )


def _pin_data(
    workflow: N8nWorkflow, by_name: dict[str, N8nNode], diags: list[Diagnostic]
) -> dict[str, list[Item]]:
    """Pinned items normalised to n8n's item shape: bare objects are wrapped as {"json": item}."""
    result: dict[str, list[Item]] = {}
    for name, items in (workflow.pinData or {}).items():
        if name not in by_name:
            diags.append(
                warning(f'pinData for "{name}", which is not an executable node, is ignored', field="pinData")
            )
            continue
        result[name] = [item if isinstance(item.get("json"), dict) else {"json": item} for item in items]
    return result


__all__ = ["compile_export", "compile_workflow"]
