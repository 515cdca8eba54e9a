"""A request to a service trigger's webhook (Telegram, GitHub...): the node's `webhook()` decides.

The request goes to the node host (through `ServiceWebhookWorkflow`) as n8n gives it to the node:
headers, query, parsed body and raw body. The answer follows n8n's executeWebhook: what the
node wrote to the response itself (`noWebhookResponse`), else its `webhookResponse`, else
`{"message": "Webhook call received"}` when it starts no run; when it starts one, the
description's response mode (`onReceived`: its `responseData`, the node's `webhookResponse` or
`{"message": "Workflow was started"}`; `lastNode`: the last node's data when the run ends).
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.webhooks.trigger import parse_body, query_dict
from hive_core.approvals.models import ApprovalPolicy
from hive_core.errors import NotFoundError, PayloadTooLargeError
from hive_core.executions import record_started
from hive_core.node_host.contract import WebhookResult, WireWebhookRequest
from hive_core.service_webhooks import ServiceWebhookTarget
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow
from workflows.retries import RUN_TASK_TIMEOUT
from workflows.webhook_trigger import ServiceWebhookInput, ServiceWebhookWorkflow

__all__ = ["MAX_BODY_BYTES", "serve_service_webhook"]

# The request travels to the node host inside Temporal payloads (parsed and raw, ~2.3x its size);
# Temporal refuses payloads over 2 MB.
MAX_BODY_BYTES = 512 * 1024


def _answer(status: int, body: Any) -> Response:
    if body is None:
        return Response(status_code=status)
    if isinstance(body, str):
        return Response(body, status_code=status, media_type="text/plain; charset=utf-8")
    return JSONResponse(body, status_code=status)


def _recorded(result: WebhookResult) -> Response:
    """What the node wrote to the response object itself."""
    written = result.response
    assert written is not None
    headers = dict(written.headers)
    media = headers.pop("content-type", None)
    if written.body_base64 is not None:
        return Response(base64.b64decode(written.body_base64), written.status, headers, media)
    if written.body is None:
        return Response(status_code=written.status, headers=headers, media_type=media)
    return JSONResponse(written.body, written.status, headers, media_type=media)


def _last_node_body(
    result: WebhookResult, run_data: dict[str, list[dict[str, Any]]], last: str | None
) -> Any:
    tasks = run_data.get(last or "") or []
    outputs = ((tasks[-1].get("data") or {}).get("main") or [[]]) if tasks else [[]]
    items = [item.get("json", {}) for item in (outputs[0] or [])]
    if result.response_data == "allEntries":
        return items
    if result.response_data == "noData":
        return None
    return items[0] if items else {}


async def serve_service_webhook(
    request: Request,
    path: str,
    target: ServiceWebhookTarget,
    *,
    client: Client,
    session: AsyncSession,
    task_queue: str,
    base_url: str,
    approval: ApprovalPolicy,
    timeout_s: float,
) -> Response:
    """Run the node's `webhook()` for this request and answer as n8n does."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(
            f"a request to the webhook of {target.node.name!r} may hold at most {MAX_BODY_BYTES} bytes",
            node=target.node.name,
        )
    execution_id = f"webhook-{uuid.uuid4().hex}"
    wire = WireWebhookRequest(
        method=request.method,
        path=path.strip("/"),
        headers={k.lower(): v for k, v in request.headers.items()},
        query=query_dict(request),
        body=parse_body(request.headers.get("content-type", ""), raw),
        raw_body=base64.b64encode(raw).decode() if raw else None,
    )
    try:
        outcome = await asyncio.wait_for(
            client.execute_workflow(
                ServiceWebhookWorkflow.run,
                ServiceWebhookInput(
                    plan=target.plan,
                    workflow_id=target.workflow_id,
                    node=target.node.name,
                    request=wire,
                    webhook_base_url=f"{base_url}/webhook",
                    execution_id=execution_id,
                    approval=approval,
                ),
                id=f"hive-service-webhook-{uuid.uuid4().hex}",
                task_queue=task_queue,
                task_timeout=RUN_TASK_TIMEOUT,
            ),
            timeout_s,
        )
    except TimeoutError:
        return _answer(504, {"message": f"No response within {timeout_s:.0f} s"})
    result = outcome.webhook
    if not result.found:
        raise NotFoundError(f'The requested webhook "{request.method} {path}" is not registered.')
    if result.error is not None:
        # n8n answers a throwing webhook() with a 500 naming the error, and starts no run.
        return _answer(500, {"message": f"Error in webhook of {target.node.name!r}: {result.error.message}"})
    if outcome.run_id is not None:
        await record_started(
            session,
            workflow_id=target.workflow_id,
            execution_id=outcome.run_id,
            run_id=None,
            mode="webhook",
            trigger_items=(result.outputs or [[]])[outcome.output] or [],
        )
    if result.no_webhook_response and result.response is not None:
        return _recorded(result)
    code = result.response_code
    if outcome.run_id is None:
        if result.no_webhook_response:
            return Response(status_code=code)
        body = (
            result.webhook_response if result.has_webhook_response else {"message": "Webhook call received"}
        )
        return _answer(code, body)
    if result.no_webhook_response:
        return Response(status_code=code)
    if result.response_mode == "onReceived":
        if result.response_data == "noData":
            return Response(status_code=code)
        if result.response_data:
            return _answer(code, result.response_data)
        if result.has_webhook_response:
            return _answer(code, result.webhook_response)
        return _answer(code, {"message": "Workflow was started"})
    if result.response_mode == "lastNode":
        handle = client.get_workflow_handle_for(N8nWorkflow.run, outcome.run_id)
        try:
            run = await asyncio.wait_for(handle.result(), timeout_s)
        except TimeoutError:
            return _answer(
                504, {"message": f"No response within {timeout_s:.0f} s", "executionId": outcome.run_id}
            )
        if run.status is not ExecutionStatus.SUCCESS:
            return _answer(500, {"message": "Error in workflow"})
        return _answer(code, _last_node_body(result, run.run_data, run.last_node_executed))
    return _answer(
        500, {"message": f"The response mode '{result.response_mode}' is not supported for service triggers"}
    )
