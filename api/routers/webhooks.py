"""n8n's webhook URLs: `/webhook/<path>` (production) and `/webhook-test/<path>` (test runs).

Response modes follow the Webhook node: `onReceived` answers at once, `lastNode` when the run
ends (with the last node's data), `responseNode` when a Respond to Webhook node runs (the route
waits on the workflow's `webhook_response` update). Authentication: none, basic or header, with
the credentials configured in hive.yaml.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from temporalio.client import WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep, get_state
from api.routers._path_route import path_route
from api.routers.credentials import node_credentials
from api.webhooks.matching import WebhookTarget, find_webhook
from api.webhooks.responses import binary_response
from api.webhooks.service import serve_service_webhook
from api.webhooks.trigger import WebhookAuthError, check_auth, trigger_item
from hive_core.approvals import approval_policy
from hive_core.binary_data import ExecutionBinary
from hive_core.errors import ConflictError, NotFoundError
from hive_core.executions import record_started, start_options
from hive_core.service_webhooks import find_service_webhook
from hive_core.workflow_store import active_plans
from n8n_runtime.http import ConfigCredentials, CredentialResolver
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, ResumeRequest, RunN8nInput, WebhookResponse
from workflows.n8n_run import N8nWorkflow
from workflows.retries import RUN_TASK_TIMEOUT

router = APIRouter(tags=["webhooks"])

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
# How long a caller may wait for `lastNode` / `responseNode` answers.
RESPONSE_TIMEOUT_S = 300.0


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    headers = dict(headers or {})
    if body is None:
        return Response(status_code=status, headers=headers)
    if isinstance(body, str):
        media = headers.pop("content-type", "text/plain; charset=utf-8")
        return Response(body, status_code=status, headers=headers, media_type=media)
    return JSONResponse(body, status_code=status, headers=headers)


def _last_node_body(target: WebhookTarget, run: N8nRunSnapshot) -> Any:
    if run.status is not ExecutionStatus.SUCCESS:
        return {"message": "Error in workflow"}
    tasks = run.run_data.get(run.last_node_executed or "") or []
    outputs = ((tasks[-1].get("data") or {}).get("main") or [[]]) if tasks else [[]]
    items = [item.get("json", {}) for item in (outputs[0] or [])]
    mode = target.node.parameters.get("responseData", "firstEntryJson")
    if mode == "firstEntryBinary":
        first = (outputs[0] or [{}])[0]
        prop = str((target.node.parameters.get("options") or {}).get("responseBinaryPropertyName") or "data")
        data = (first.get("binary") or {}).get(prop)
        return {"binaryData": data} if data else {"message": "No binary data was found to return"}
    if mode == "allEntries":
        return items
    if mode == "noData":
        return None
    return items[0] if items else {}


async def _serve(
    request: Request, path: str, execution_mode: str, client: ClientDep, session: SessionDep,
    settings: SettingsDep, cluster: ClusterDep,
) -> Response:  # fmt: skip
    plans = await active_plans(session)
    target = find_webhook(plans, request.method, path)
    service = find_service_webhook(plans, path) if target is None and execution_mode == "production" else None
    if service is not None:
        return await serve_service_webhook(
            request,
            path,
            service,
            client=client,
            session=session,
            task_queue=settings.temporal.task_queue,
            base_url=settings.api.base_url,
            approval=approval_policy(cluster.security),
            timeout_s=RESPONSE_TIMEOUT_S,
        )
    if target is None:
        raise NotFoundError(
            f'The requested webhook "{request.method} {path}" is not registered.', method=request.method
        )
    try:
        credentials: CredentialResolver = ConfigCredentials(cluster.credentials)
        if target.node.parameters.get("authentication", "none") != "none":
            credentials = await node_credentials(get_state(request), target.node.credentials)
        check_auth(request, target, credentials)
    except WebhookAuthError as exc:
        headers = {"WWW-Authenticate": 'Basic realm="Webhook"'} if exc.status == 401 else {}
        return _response(exc.status, {"message": exc.message}, headers)
    execution_id = f"webhook-{uuid.uuid4().hex}"
    options = target.node.parameters.get("options") or {}
    # Uploaded files go to the binary store under this execution; only references enter the run.
    store = settings.binary_data.store(settings.data_dir)
    binary = ExecutionBinary(store, target.plan.workflow_id, execution_id)
    run_input = RunN8nInput(
        plan=target.plan,
        trigger_items=[
            await trigger_item(
                request,
                params=target.params,
                version=target.node.type_version,
                execution_mode=execution_mode,
                binary=binary,
                options=options,
            )
        ],
        start_node=target.node.name,
        trigger_output=target.output_index,
        mode="webhook" if execution_mode == "production" else "manual",
        webhook_base_url=settings.api.base_url,
        approval=approval_policy(cluster.security),
    )
    mode = target.node.parameters.get("responseMode", "onReceived")
    status = int(target.node.parameters.get("responseCode") or options.get("responseCode") or 200)
    queue = settings.temporal.task_queue

    async def record(handle: WorkflowHandle[Any, Any]) -> None:
        # Listed at once, not at the reconciler's next discovery pass.
        await record_started(
            session,
            workflow_id=target.workflow_id,
            execution_id=execution_id,
            run_id=handle.first_execution_run_id or handle.result_run_id,
            mode=run_input.mode,
            trigger_items=run_input.trigger_items,
        )

    try:
        if mode == "responseNode":
            # Update-with-start: the update is in the first workflow task, so even a run that
            # finishes at once cannot miss it.
            start = WithStartWorkflowOperation(
                N8nWorkflow.run,
                run_input,
                id=execution_id,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                task_queue=queue,
                task_timeout=RUN_TASK_TIMEOUT,
            )
            update = asyncio.ensure_future(
                client.execute_update_with_start_workflow(
                    N8nWorkflow.webhook_response, start_workflow_operation=start
                )
            )
            started = asyncio.ensure_future(start.workflow_handle())
            await asyncio.wait({update, started}, return_when=asyncio.FIRST_COMPLETED)
            if update.done() and update.exception() is not None:
                started.cancel()  # the start itself failed: nothing to index
            else:
                await record(await started)
            answer: WebhookResponse = await asyncio.wait_for(update, RESPONSE_TIMEOUT_S)
            if answer.responded:
                file = binary_response(store, answer.body, answer.status_code, answer.headers)
                return file or _response(answer.status_code, answer.body, answer.headers)
            return _response(500, {"message": "Workflow finished without a Respond to Webhook response"})
        handle = await client.start_workflow(N8nWorkflow.run, run_input, **start_options(execution_id, queue))
        await record(handle)
        if mode == "onReceived":
            return _response(status, {"message": "Workflow was started"})
        run = await asyncio.wait_for(handle.result(), RESPONSE_TIMEOUT_S)
    except TimeoutError:
        message = f"No response within {RESPONSE_TIMEOUT_S:.0f} s"
        return _response(504, {"message": message, "executionId": execution_id})
    body = _last_node_body(target, run)
    if run.status is ExecutionStatus.SUCCESS and isinstance(body, dict) and "binaryData" in body:
        file = binary_response(store, body, status, {})
        if file is not None:
            return file
    return _response(status if run.status is ExecutionStatus.SUCCESS else 500, body)


@router.api_route("/webhook-waiting/{execution_id}", methods=METHODS, include_in_schema=False)
async def resume_waiting(request: Request, execution_id: str, client: ClientDep) -> Response:
    """`$execution.resumeUrl`: resumes a Wait node waiting for a webhook call (a signal)."""
    handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
    try:
        snapshot = await handle.query(N8nWorkflow.snapshot)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise NotFoundError(f"The execution {execution_id!r} does not exist") from None
        raise
    if snapshot.status is not ExecutionStatus.WAITING:
        raise ConflictError(f"The execution {execution_id!r} is not waiting (status {snapshot.status.value})")
    # Shaped like a v1 Webhook's item: headers, params, query, body.
    item = await trigger_item(request, params={}, version=1, execution_mode="production")
    await handle.signal(N8nWorkflow.resume_wait, ResumeRequest(json_data=item["json"]))
    return _response(200, {"message": "Workflow was resumed"})


# n8n's production and test URLs; "test" runs are marked as manual executions.
for _prefix, _mode in (("/webhook", "production"), ("/webhook-test", "test")):
    router.add_api_route(
        f"{_prefix}/{{path:path}}", path_route(_serve, _mode), methods=METHODS, include_in_schema=False
    )
