"""`hive compile FILE.json`: compile an n8n export and show the plan or every error."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer

from hive_core.cli.common import (
    ConfigOption,
    DataDirOption,
    build_settings,
    err,
    load_cluster,
    one_line_errors,
    out,
)
from hive_core.errors import CompileError
from hive_core.node_host.options import compile_options
from n8n_import import compile_export
from n8n_import.node_catalog import load_catalog

FormatOption = typer.Option("table", "--output", "-o", help="table | json (the full plan)")


def read_export(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CompileError(f"{path}: cannot read ({exc.strerror})") from None


@one_line_errors
def compile_(
    file: Path = typer.Argument(..., help="n8n workflow export (.json)"),
    output: str = FormatOption,
    data_dir: Path | None = DataDirOption,
    config: Path | None = ConfigOption,
) -> None:
    """Compile an n8n workflow export; exit 2 listing every problem by node.

    Provider models (OpenAI, Gemini, ...) are mapped to cluster models by hive.yaml's
    `model_aliases`; each model node shows the cluster model it will use, and each node whether
    it runs natively or on the n8n node host.
    """
    options = compile_options(load_cluster(build_settings(config=config)), check_local_node=True)
    try:
        plans = compile_export(read_export(file), options)
    except CompileError as exc:
        diagnostics = exc.details.get("diagnostics") or []
        if not diagnostics:
            raise
        err.print(
            f"[bold red]hive: error:[/] {file}: {len(diagnostics)} problem(s)",
            highlight=False,
            soft_wrap=True,
        )
        hints: dict[str, None] = {}
        for d in diagnostics:
            where = f'node "{d["node"]}" ({d["node_type"]}) {d["field"] or ""}' if d.get("node") else ""
            # The supported-node list rides on every such diagnostic: show it once, at the end.
            message, _, hint = d["message"].partition("; supported: ")
            if hint:
                hints[f"supported: {hint}"] = None
            line = f"  {d['severity']}: {where.strip() + ': ' if where else ''}{message}"
            err.print(line, highlight=False, soft_wrap=True)
        for hint in hints:
            err.print(f"  {hint}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if output == "json":
        out.print_json(json.dumps([plan.model_dump(mode="json") for plan in plans]))
        return
    for plan in plans:
        on_host = [n for n in plan.nodes.values() if n.runner == "node_host"]
        out.print(
            f"[bold]{plan.name or '(unnamed)'}[/]: {len(plan.nodes)} nodes "
            f"({len(plan.nodes) - len(on_host)} native, {len(on_host)} on the n8n node host, "
            f"catalog {load_catalog().version}), "
            f"execution order {plan.execution_order}, start at {', '.join(plan.start_nodes)}"
        )
        for node in plan.nodes.values():
            flags = [
                f for f, on in (("disabled", node.disabled), ("pinned", node.name in plan.pin_data)) if on
            ]
            targets = "; ".join(
                f"{i}→{','.join(e.node for e in edges)}" for i, edges in enumerate(node.main_outputs) if edges
            )
            runner = "node-host" if node.runner == "node_host" else "native"
            model = f"  → model {node.cluster_model}" if node.cluster_model else ""
            out.print(
                f"  {node.name:<28} {node.type.split('.')[-1]}@{node.type_version:<5} {node.kind.value:<9}"
                f" {runner:<9}"
                f" {targets}{'  [' + ', '.join(flags) + ']' if flags else ''}{model}",
                highlight=False,
            )
        for diagnostic in plan.diagnostics:
            where = f'"{diagnostic.node}": ' if diagnostic.node else ""
            out.print(f"  [yellow]warning:[/] {where}{diagnostic.message}", highlight=False)
    # Credentials the nodes reference that Hive does not hold yet (the store, then hive.yaml).
    from hive_core.cli.credentials_cmd import missing_credential_lines

    for line in asyncio.run(missing_credential_lines(build_settings(data_dir=data_dir), plans)):
        err.print(f"  {line}", highlight=False, markup=False)
