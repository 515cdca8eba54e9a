"""One node's items, one page at a time: what the node panel of the execution page fetches.

Pure. The output of a run is ``data.main[output]``; its input is what n8n's UI shows, the output
of the runs named in the task's ``source`` (``previousNode`` / ``…Output`` / ``…Run``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from workflows.n8n_models import N8nRunSnapshot

Side = Literal["input", "output"]
MAX_PAGE = 500


class Port(BaseModel):
    label: str
    items: int


class ItemPage(BaseModel):
    node: str
    runs: int = Field(description="how many times the node ran")
    run_index: int | None
    side: Side
    port: int
    ports: list[Port] = Field(description="the outputs (or inputs) of this run, with their item counts")
    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]
    truncated: bool = Field(
        default=False, description="the item data was dropped to fit Temporal's payload limit"
    )
    status: str | None = None
    error: dict[str, Any] | None = None
    start_time: int | None = None
    execution_time_ms: int | None = None


def _outputs(task: dict[str, Any]) -> list[list[dict[str, Any]] | None]:
    main = (task.get("data") or {}).get("main") or []
    return list(main)


def _input_ports(
    snapshot: N8nRunSnapshot, task: dict[str, Any]
) -> list[tuple[str, list[dict[str, Any]] | None]]:
    ports: list[tuple[str, list[dict[str, Any]] | None]] = []
    for source in task.get("source") or []:
        if not source:
            ports.append(("—", None))
            continue
        parent = str(source.get("previousNode"))
        parent_runs = snapshot.run_data.get(parent) or []
        run = int(source.get("previousNodeRun") or 0)
        output = int(source.get("previousNodeOutput") or 0)
        items: list[dict[str, Any]] | None = None
        if run < len(parent_runs):
            outputs = _outputs(parent_runs[run])
            items = outputs[output] if output < len(outputs) else None
        label = parent if output == 0 else f"{parent} (output {output})"
        ports.append((label, items))
    return ports


def node_page(
    snapshot: N8nRunSnapshot | None,
    node: str,
    *,
    run_index: int | None = None,
    side: Side = "output",
    port: int = 0,
    offset: int = 0,
    limit: int = 50,
) -> ItemPage:
    """Items ``offset``..``offset+limit`` of one input or output of one run of ``node``."""
    limit = max(0, min(limit, MAX_PAGE))
    runs = (snapshot.run_data.get(node) if snapshot else None) or []
    empty = ItemPage(
        node=node, runs=len(runs), run_index=None, side=side, port=port, ports=[], total=0,
        offset=offset, limit=limit, items=[],
    )  # fmt: skip
    if not runs:
        return empty
    index = len(runs) - 1 if run_index is None else max(0, min(run_index, len(runs) - 1))
    task = runs[index]
    assert snapshot is not None
    if side == "output":
        named = [(f"output {i}" if i else "main", items) for i, items in enumerate(_outputs(task))]
    else:
        named = _input_ports(snapshot, task)
    items = named[port][1] if 0 <= port < len(named) else None
    items = items or []
    truncated = "hiveTruncated" in task
    counts = task.get("hiveTruncated", {}).get("items") if side == "output" and truncated else None
    ports = [
        Port(label=label, items=int(counts[i]) if counts and i < len(counts) else len(its or []))
        for i, (label, its) in enumerate(named)
    ]
    return empty.model_copy(
        update={
            "run_index": index,
            "ports": ports,
            "total": len(items),
            "items": items[offset : offset + limit],
            "truncated": truncated,
            "status": task.get("executionStatus"),
            "error": task.get("error"),
            "start_time": task.get("startTime"),
            "execution_time_ms": task.get("executionTime"),
        }
    )


__all__ = ["MAX_PAGE", "ItemPage", "Port", "Side", "node_page"]
