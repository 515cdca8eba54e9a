"""The console's list pages: executions, workflows, agents, alerts — the API routers' own data.

Each page calls the router function of the matching `GET /api/...` (same filters, paging and
queries) with the console's principal, after the same permission check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import check_permission
from api.console.session import UI_PREFIX, ConsolePrincipal
from api.console.templating import render
from api.deps import ClusterDep, SessionDep, SettingsDep
from api.routers import agents, alerts, executions, workflows
from api.webhooks.matching import WEBHOOK_TYPE, node_methods, segments
from hive_core.auth import Permission, Principal, allows
from hive_core.db.models import ExecutionStatus
from hive_core.errors import ValidationError
from hive_core.monitoring.alert_store import AlertState
from hive_core.workflow_versions import get_workflow
from n8n_import.plan import Plan

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)
PAGE = 25


def _time(value: str | None, field: str) -> datetime | None:
    """A ``datetime-local`` field (no zone: UTC, as the page says) or an ISO time with one."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{field}: not a date and time ({value!r})", field=field) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.get("", include_in_schema=False)
@router.get("/", include_in_schema=False)
async def home(_: ConsolePrincipal) -> Response:
    return RedirectResponse(f"{UI_PREFIX}/executions", status_code=303)


async def _workflow_names(principal: Principal, session: SessionDep) -> dict[str, str]:
    if not allows(principal.role, Permission.WORKFLOWS_READ):
        return {}
    found = await workflows.list_(principal, session, name=None, active=None, limit=200, offset=0)
    return {w.id: w.name for w in found.items}


@router.get("/executions", response_class=HTMLResponse)
async def execution_list(
    request: Request,
    principal: ConsolePrincipal,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    workflow_id: Annotated[str | None, Query(max_length=200)] = None,
    started_after: Annotated[str | None, Query(max_length=40)] = None,
    started_before: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    check_permission(principal, Permission.EXECUTIONS_READ)
    try:
        wanted = ExecutionStatus(status) if status else None
    except ValueError:
        raise ValidationError(f"status: no such status {status!r}", field="status") from None
    found = await executions.list_(
        principal,
        session,
        status=wanted,
        workflow_id=workflow_id or None,
        started_after=_time(started_after, "started_after"),
        started_before=_time(started_before, "started_before"),
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    filters = {
        "status": status or "",
        "workflow_id": workflow_id or "",
        "started_after": started_after or "",
        "started_before": started_before or "",
    }
    return render(
        request,
        "executions.html",
        principal=principal,
        page=found,
        number=page,
        pages=max(1, -(-found.total // PAGE)),
        filters=filters,
        query=urlencode({key: value for key, value in filters.items() if value}),
        statuses=[s.value for s in ExecutionStatus],
        names=await _workflow_names(principal, session),
    )


def webhook_urls(plan: Plan, base_url: str) -> list[str]:
    """The production URLs of the plan's enabled Webhook nodes (``METHOD url``)."""
    urls = []
    for node in plan.nodes.values():
        if node.type != WEBHOOK_TYPE or node.disabled:
            continue
        parts = segments(str(node.parameters.get("path") or node.webhook_id or ""))
        if any(part.startswith(":") for part in parts) and node.webhook_id:
            parts = [node.webhook_id, *parts]
        for method in node_methods(node):
            urls.append(f"{method} {base_url}/webhook/{'/'.join(parts)}")
    return urls


@router.get("/workflows", response_class=HTMLResponse)
async def workflow_list(
    request: Request,
    principal: ConsolePrincipal,
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    check_permission(principal, Permission.WORKFLOWS_READ)
    found = await workflows.list_(
        principal, session, name=name or None, active=None, limit=PAGE, offset=(page - 1) * PAGE
    )
    rows: list[dict[str, Any]] = []
    for summary in found.items:
        versions = await workflows.versions(summary.id, principal, session)
        stored = await get_workflow(session, summary.id)
        plan = Plan.model_validate(stored.plan) if stored.plan else None
        rows.append(
            {
                "workflow": summary,
                "versions": versions,
                "webhooks": webhook_urls(plan, settings.api.base_url) if plan else [],
            }
        )
    return render(
        request,
        "workflows.html",
        principal=principal,
        rows=rows,
        total=found.total,
        number=page,
        pages=max(1, -(-found.total // PAGE)),
        name=name or "",
    )


@router.get("/agents", response_class=HTMLResponse)
async def agent_list(
    request: Request, principal: ConsolePrincipal, session: SessionDep, cluster: ClusterDep
) -> Response:
    check_permission(principal, Permission.AGENTS_READ)
    views = await agents.list_agents(principal, session, cluster)
    return render(request, "agents.html", principal=principal, agents=views)


@router.get("/alerts", response_class=HTMLResponse)
async def alert_list(
    request: Request,
    principal: ConsolePrincipal,
    session: SessionDep,
    state: AlertState = "open",
) -> Response:
    check_permission(principal, Permission.ALERTS_READ)
    found = await alerts.get_alerts(principal, session, state=state, agent=None, severity=None, limit=200)
    return render(request, "alerts.html", principal=principal, alerts=found, state=state)


__all__ = ["router", "webhook_urls"]
