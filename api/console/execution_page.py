"""`/ui/executions/{id}`: the run on its n8n canvas, a node's items page by page, live events,
binary downloads — each through the same service functions and permission checks as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse

from api.auth import check_permission
from api.console.ai_calls import ai_calls
from api.console.graph import STATUS_TEXT, build_canvas, has_ai_nodes
from api.console.run_data import MAX_PAGE, Side, node_page
from api.console.run_source import read_run, workflow_json
from api.console.session import UI_PREFIX, ConsolePrincipal
from api.console.templating import render
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from api.routers import binary_data, events
from hive_core.approvals import GateState
from hive_core.auth import Permission
from hive_core.executions import fetch_run
from hive_core.settings import HiveSettings

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)


def temporal_ui_url(settings: HiveSettings, execution_id: str, run_id: str | None) -> str:
    """The run in the Temporal Web UI (the dev server's, next to the configured frontend host)."""
    temporal = settings.temporal
    host = temporal.address.rsplit(":", 1)[0] if temporal.address else temporal.host
    run = f"/{run_id}" if run_id else ""
    return f"http://{host}:{temporal.ui_port}/namespaces/{temporal.namespace}/workflows/{execution_id}{run}/history"


@router.get("/executions/{execution_id}", response_class=HTMLResponse)
async def execution(
    execution_id: str,
    request: Request,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    cluster: ClusterDep,
) -> Response:
    check_permission(principal, Permission.EXECUTIONS_READ)
    source = await read_run(session, client, execution_id)
    view, row = source.view, source.row
    snapshot = view.snapshot if view else None
    workflow = await workflow_json(session, client, execution_id, row)
    names = [str(n.get("name")) for n in workflow.get("nodes") or []]
    ai = await ai_calls(client, execution_id, names, cluster) if has_ai_nodes(workflow) else {}
    canvas = build_canvas(workflow, snapshot, run_open=bool(view and view.open), ai=ai)
    pending = [g for g in (snapshot.approvals if snapshot else []) if g.state is GateState.PENDING]
    return render(
        request,
        "execution.html",
        principal=principal,
        execution_id=execution_id,
        workflow_name=workflow.get("name") or "",
        row=row,
        view=view,
        snapshot=snapshot,
        status=view.status.value if view else (row.status.value if row else "unknown"),
        canvas=canvas,
        pending=pending,
        status_text=STATUS_TEXT,
        temporal_url=temporal_ui_url(settings, execution_id, view.run_id if view else None),
        page_size=50,
    )


@router.get("/executions/{execution_id}/items")
async def items(
    execution_id: str,
    principal: ConsolePrincipal,
    client: ClientDep,
    node: Annotated[str, Query(max_length=1000)],
    side: Side = "output",
    run: Annotated[int | None, Query(ge=0)] = None,
    port: Annotated[int, Query(ge=0, le=1000)] = 0,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> JSONResponse:
    """One page of one node's input or output items (the page never embeds run data)."""
    check_permission(principal, Permission.EXECUTIONS_READ)
    view = await fetch_run(client, execution_id)
    page = node_page(view.snapshot, node, run_index=run, side=side, port=port, offset=offset, limit=limit)
    return JSONResponse(page.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


@router.get("/executions/{execution_id}/ai")
async def ai(
    execution_id: str, principal: ConsolePrincipal, client: ClientDep, cluster: ClusterDep, node: str
) -> JSONResponse:
    """Agent, host, model and tokens/s of one AI node (asked when it finishes live)."""
    check_permission(principal, Permission.EXECUTIONS_READ)
    info = (await ai_calls(client, execution_id, [node], cluster)).get(node)
    body = (
        None
        if info is None
        else {**info.__dict__, "text": info.text, "speed": info.speed, "detail": info.detail}
    )
    return JSONResponse(body)


@router.get("/executions/{execution_id}/stream")
async def stream(
    execution_id: str,
    request: Request,
    principal: ConsolePrincipal,
    client: ClientDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """The API's SSE stream of the run (`api/live`), admitted by the console cookie."""
    check_permission(principal, Permission.EXECUTIONS_READ)
    return await events.stream_execution(
        execution_id, request, client, principal, poll_ms=250, last_event_id=last_event_id
    )


@router.get("/executions/{execution_id}/binary/{binary_id:path}")
async def binary(
    execution_id: str, binary_id: str, principal: ConsolePrincipal, settings: SettingsDep
) -> FileResponse:
    """A file an item refers to, through the API's download route."""
    check_permission(principal, Permission.EXECUTIONS_READ)
    return await binary_data.download(execution_id, binary_id, principal, settings)


__all__ = ["router", "temporal_ui_url"]
