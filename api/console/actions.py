"""What a console user can do to a run, by role: start a workflow, cancel, retry, approve, reject.

Each action is the API route's own function (same checks, audit and errors), called with the
principal of the console cookie. The console's script sends them as JSON with the header
``X-Hive-Console``: a cross-site page cannot send a custom header without a CORS preflight that
this API never grants, and the cookie is SameSite=Strict besides — two guards against CSRF.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.auth import check_permission
from api.console.session import UI_PREFIX, ConsolePrincipal
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from api.routers import approvals, executions
from hive_core.auth import Permission, PermissionDeniedError

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)
ScriptHeader = Annotated[str | None, Header(alias="X-Hive-Console")]


class RunBody(BaseModel):
    input: Any = None


class Decision(BaseModel):
    gate_id: str | None = Field(default=None, max_length=1000)
    comment: str | None = Field(default=None, max_length=4000)


def _from_script(header: str | None) -> None:
    if header != "1":
        raise PermissionDeniedError("console actions are sent by the console's own page")


def _json(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status)


@router.post("/workflows/{workflow_id}/run")
async def run_workflow(
    workflow_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    cluster: ClusterDep,
    script: ScriptHeader = None,
    body: Annotated[RunBody | None, Body()] = None,
) -> JSONResponse:
    _from_script(script)
    check_permission(principal, Permission.EXECUTIONS_WRITE)
    started = await executions.start(
        workflow_id,
        Response(),
        principal,
        session,
        client,
        settings,
        cluster,
        body=executions.StartExecutionBody(input=(body or RunBody()).input),
        idempotency_key=None,
    )
    return _json(started, 201)


@router.post("/executions/{execution_id}/cancel")
async def cancel(
    execution_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    script: ScriptHeader = None,
) -> JSONResponse:
    _from_script(script)
    check_permission(principal, Permission.EXECUTIONS_WRITE)
    return _json(await executions.cancel(execution_id, principal, session, client), 202)


@router.post("/executions/{execution_id}/retry")
async def retry(
    execution_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    script: ScriptHeader = None,
) -> JSONResponse:
    _from_script(script)
    check_permission(principal, Permission.EXECUTIONS_WRITE)
    return _json(await executions.retry(execution_id, principal, session, client, settings), 201)


async def _decide(
    approve: bool,
    execution_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    script: str | None,
    body: Decision | None,
) -> JSONResponse:
    _from_script(script)
    check_permission(principal, Permission.APPROVALS_DECIDE)
    decision = approvals.DecisionBody(**(body or Decision()).model_dump())
    decide = approvals.approve if approve else approvals.reject
    return _json(await decide(execution_id, principal, session, client, decision))


@router.post("/executions/{execution_id}/approve")
async def approve(
    execution_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    script: ScriptHeader = None,
    body: Annotated[Decision | None, Body()] = None,
) -> JSONResponse:
    return await _decide(True, execution_id, principal, session, client, script, body)


@router.post("/executions/{execution_id}/reject")
async def reject(
    execution_id: str,
    principal: ConsolePrincipal,
    session: SessionDep,
    client: ClientDep,
    script: ScriptHeader = None,
    body: Annotated[Decision | None, Body()] = None,
) -> JSONResponse:
    return await _decide(False, execution_id, principal, session, client, script, body)


__all__ = ["router"]
