"""n8n's Chat Trigger URLs: `/webhook/<webhookId>/chat` (and `/webhook-test/...` for test runs).

GET serves the hosted chat page (mode "Hosted Chat"); POST takes the `@n8n/chat` widget's
requests: `loadPreviousSession` (answered from the trigger's memory) and `sendMessage` (starts
a run with the request body as the trigger's item). The answer follows the trigger's response
mode: `lastNode` (the last node's first item), `responseNode` (a Respond to Webhook node, as on
webhooks), `streaming` (NDJSON chunks while the model generates) or `responseNodes` (the run
starts at once; its Respond to Chat messages go over the `/chat` WebSocket, api/chat/session.py).
Authentication: none, basicAuth (hive.yaml credential), or n8nUserAuth, which Hive reads as "a
Hive API key".
A path no Chat Trigger owns is handed to the plain webhook routes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response, WebSocket
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from temporalio.client import WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from api.auth.dependencies import admit
from api.chat.history import previous_session
from api.chat.matching import ChatTarget, find_chat_trigger
from api.chat.page import render_page
from api.chat.session import serve_chat_session
from api.chat.stream import chat_stream
from api.chat.uploads import chat_multipart
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep, StateDep
from api.routers.webhooks import RESPONSE_TIMEOUT_S, _serve
from api.webhooks.matching import WebhookTarget
from api.webhooks.trigger import WebhookAuthError, check_auth
from hive_core.approvals import approval_policy
from hive_core.auth.errors import AuthenticationError
from hive_core.binary_data import ExecutionBinary
from hive_core.errors import ValidationError
from hive_core.executions import start_options
from hive_core.workflow_store import active_plans
from n8n_runtime.http import ConfigCredentials
from workflows.n8n_models import ExecutionStatus, RunN8nInput, WebhookResponse
from workflows.n8n_run import N8nWorkflow

router = APIRouter(tags=["chat"])


def _cors(request: Request, target: ChatTarget) -> dict[str, str]:
    """n8n's allowedOrigins: `*` (default) or a comma-separated list of origins."""
    origin = request.headers.get("origin")
    if not origin:
        return {}
    allowed = [o.strip() for o in str(target.options.get("allowedOrigins") or "*").split(",") if o.strip()]
    if "*" not in allowed and origin not in allowed:
        return {}
    return {"access-control-allow-origin": origin, "vary": "Origin"}


async def _check_auth(request: Request, target: ChatTarget, state: StateDep) -> Response | None:
    method = target.node.parameters.get("authentication", "none")
    if not target.public or method == "none":
        return None
    if method == "n8nUserAuth":
        # Hive has no n8n login: a Hive API key (X-API-Key or Bearer) stands for the n8n user.
        header = request.headers.get("authorization", "")
        token = request.headers.get("x-api-key") or (
            header[7:] if header.lower().startswith("bearer ") else ""
        )
        try:
            if not token:
                raise AuthenticationError("User not authenticated")
            await admit(state, token)
        except AuthenticationError as exc:
            return Response(exc.message, status_code=401)
        return None
    try:
        check_auth(request, WebhookTarget(target.workflow_id, target.plan, target.node, 0), _creds(state))
    except WebhookAuthError as exc:
        return Response(
            exc.message, status_code=exc.status, headers={"WWW-Authenticate": 'Basic realm="Webhook"'}
        )
    return None


def _creds(state: StateDep) -> ConfigCredentials:
    return ConfigCredentials(state.cluster.credentials)


def _is_multipart(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return request.method != "GET" and content_type == "multipart/form-data"


async def _body(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if not raw:
        return {}
    if content_type == "application/x-www-form-urlencoded":
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError:
        raise ValidationError("The chat request body must be JSON") from None
    if not isinstance(body, dict):
        raise ValidationError("The chat request body must be a JSON object")
    return body


def _webhook_url(request: Request, prefix: str, target: ChatTarget) -> str:
    return str(request.base_url).rstrip("/") + f"/{prefix}/{target.node.webhook_id}/chat"


async def _serve_chat(
    request: Request, webhook_id: str, execution_mode: str, client: ClientDep, session: SessionDep,
    settings: SettingsDep, cluster: ClusterDep, state: StateDep,
) -> Response:  # fmt: skip
    target = find_chat_trigger(await active_plans(session), webhook_id)
    if target is None:
        return await _serve(request, f"{webhook_id}/chat", execution_mode, client, session, settings, cluster)
    cors = _cors(request, target)
    if request.method == "OPTIONS":
        wanted = request.headers.get("access-control-request-headers", "content-type")
        preflight = {
            "access-control-allow-methods": "OPTIONS, GET, POST",
            "access-control-allow-headers": wanted,
        }
        return Response(
            status_code=204, headers={**cors, **preflight, "access-control-max-age": "300"} if cors else {}
        )
    # n8n: a chat that is not public answers only test (manual) runs.
    if not target.public and execution_mode == "production":
        return Response(status_code=404, headers=cors)
    denied = await _check_auth(request, target, state)
    if denied is not None:
        return denied
    if request.method == "GET" and target.mode == "hostedChat" and "action" not in request.query_params:
        prefix = "webhook" if execution_mode == "production" else "webhook-test"
        return HTMLResponse(render_page(target, _webhook_url(request, prefix, target)), headers=cors)
    execution_id = f"chat-{uuid.uuid4().hex}"
    files: dict[str, Any] = {}
    if _is_multipart(request):
        # Uploaded files go to the binary store under this execution; only references enter the run.
        binary = ExecutionBinary(
            settings.binary_data.store(settings.data_dir), target.plan.workflow_id, execution_id
        )
        body, files = await chat_multipart(request, binary, target.options)
    else:
        body = await _body(request)
    if body.get("action") == "loadPreviousSession":
        option = target.options.get("loadPreviousSession", "notSupported")
        if option == "memory":
            messages = await previous_session(target, body, session, _creds(state))
            return JSONResponse({"data": messages}, headers=cors)
        if option != "manually":
            return JSONResponse({"data": []}, headers=cors)
    item = {"json": body, **({"binary": files} if files else {})}
    return await _run(target, item, execution_id, execution_mode, client, settings, cluster, cors)


async def _run(
    target: ChatTarget, item: dict[str, Any], execution_id: str, execution_mode: str, client: ClientDep,
    settings: SettingsDep, cluster: ClusterDep, cors: dict[str, str],
) -> Response:  # fmt: skip
    run_input = RunN8nInput(
        plan=target.plan,
        trigger_items=[item],
        start_node=target.node.name,
        mode="webhook" if execution_mode == "production" else "manual",
        webhook_base_url=settings.api.base_url,
        approval=approval_policy(cluster.security),
    )
    queue = settings.temporal.task_queue
    mode = target.response_mode
    try:
        if mode == "responseNodes":
            # The widget opens the run's chat session (/chat) for the Respond to Chat messages.
            await client.start_workflow(N8nWorkflow.run, run_input, **start_options(execution_id, queue))
            return JSONResponse({"executionStarted": True, "executionId": execution_id}, headers=cors)
        if mode == "responseNode":
            start = WithStartWorkflowOperation(
                N8nWorkflow.run,
                run_input,
                id=execution_id,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                task_queue=queue,
            )
            answer: WebhookResponse = await asyncio.wait_for(
                client.execute_update_with_start_workflow(
                    N8nWorkflow.webhook_response, start_workflow_operation=start
                ),
                RESPONSE_TIMEOUT_S,
            )
            if not answer.responded:
                return JSONResponse(
                    {"message": "Workflow finished without a Respond to Webhook response"}, 500, headers=cors
                )
            headers = {**answer.headers, **cors}
            if isinstance(answer.body, str):
                return Response(answer.body, status_code=answer.status_code, headers=headers)
            return JSONResponse(answer.body, status_code=answer.status_code, headers=headers)
        await client.start_workflow(N8nWorkflow.run, run_input, **start_options(execution_id, queue))
        if mode == "streaming":
            headers = {"cache-control": "no-cache", "x-hive-execution-id": execution_id, **cors}
            return StreamingResponse(
                chat_stream(client, execution_id, target.plan),
                media_type="application/json; charset=utf-8",
                headers=headers,
            )
        handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
        run = await asyncio.wait_for(handle.result(), RESPONSE_TIMEOUT_S)
    except TimeoutError:
        message = f"No response within {RESPONSE_TIMEOUT_S:.0f} s"
        return JSONResponse({"message": message, "executionId": execution_id}, 504, headers=cors)
    if run.status is not ExecutionStatus.SUCCESS:
        return JSONResponse({"message": "Error in workflow"}, 500, headers=cors)
    last = run.last_node_executed or ""
    tasks = run.run_data.get(last) or []
    outputs = ((tasks[-1].get("data") or {}).get("main") or [[]])[0] or [] if tasks else []
    first = outputs[0].get("json", {}) if outputs else {}
    return JSONResponse(first, headers=cors)


def _chat_route(execution_mode: str) -> Any:
    async def serve(
        request: Request,
        webhook_id: str,
        client: ClientDep,
        session: SessionDep,
        settings: SettingsDep,
        cluster: ClusterDep,
        state: StateDep,
    ) -> Response:
        return await _serve_chat(
            request, webhook_id, execution_mode, client, session, settings, cluster, state
        )

    return serve


async def _chat_session(websocket: WebSocket) -> None:
    """n8n's `/chat?sessionId=…&executionId=…` WebSocket (api/chat/session.py)."""
    client = websocket.app.state.hive.temporal
    await serve_chat_session(websocket, client, websocket.query_params.get("executionId", ""))


router.add_api_websocket_route("/chat", _chat_session)

for _prefix, _mode in (("/webhook", "production"), ("/webhook-test", "test")):
    router.add_api_route(
        f"{_prefix}/{{webhook_id}}/chat",
        _chat_route(_mode),
        methods=["GET", "POST", "OPTIONS"],
        include_in_schema=False,
    )

__all__ = ["router"]
