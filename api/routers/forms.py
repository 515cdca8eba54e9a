"""n8n's form URLs: `/form/<path>` (production), `/form-test/<path>` (test runs) and
`/form-waiting/<executionId>` (the next pages of a multi-page form).

GET renders the page on the server; POST submits it. The Form Trigger's submission starts the
run (its item shaped as n8n's: field labels, `submittedAt`, `formMode`); when Form nodes follow,
the browser is redirected to the run's waiting URL, whose page is the Form node the run waits
on, and each submission resumes the durable run (the `form_step` update, so the answer is the
next page or the form's ending, never a guess). Without Form nodes the trigger's response mode
applies: form submitted (`onReceived`), workflow finished (`lastNode`) or Respond to Webhook.
"""

from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from api.forms.matching import FormTarget, find_form_trigger
from api.forms.render import SUBMITTED_TEXT, completion_page, form_page
from api.forms.uploads import read_submission
from api.routers._path_route import path_route
from api.routers.webhooks import RESPONSE_TIMEOUT_S
from api.webhooks.matching import WebhookTarget
from api.webhooks.trigger import WebhookAuthError, check_auth
from hive_core.approvals import approval_policy
from hive_core.binary_data import ExecutionBinary
from hive_core.errors import NotFoundError
from hive_core.executions import start_options
from hive_core.workflow_store import active_plans
from n8n_runtime.forms import FormInputError, form_timezone, submission_item
from n8n_runtime.http import ConfigCredentials
from workflows.n8n_models import ExecutionStatus, FormStep, FormStepRequest, RunN8nInput, WebhookResponse
from workflows.n8n_run import N8nWorkflow

router = APIRouter(tags=["forms"])


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status)


def _submitted(target: FormTarget | None) -> Response:
    text, redirect = target.submitted_text() if target else (None, None)
    if redirect:
        return RedirectResponse(redirect, status_code=303)
    return _html(completion_page("Form Submitted", text if text is not None else SUBMITTED_TEXT))


def _waiting_url(execution_id: str) -> str:
    return f"/form-waiting/{execution_id}"


def _screen(step: FormStep, execution_id: str, target: FormTarget | None) -> Response:
    """What the browser sees after a submission (or on opening the waiting URL)."""
    if step.page is not None and step.waiting:
        return RedirectResponse(_waiting_url(execution_id), status_code=303)
    if step.completion is not None:
        done = step.completion
        if done.get("respondWith") == "redirect" and done.get("redirectUrl"):
            url = str(done["redirectUrl"])
            return RedirectResponse(url if "://" in url else f"http://{url}", status_code=303)
        if done.get("respondWith") == "showText":
            # The workflow's own text or HTML, as n8n's "Show Text" ending shows it.
            return _html(str(done.get("responseText") or ""))
        return _html(
            completion_page(
                str(done.get("title") or ""), str(done.get("message") or ""), str(done.get("pageTitle") or "")
            )
        )
    if step.finished and step.status is ExecutionStatus.ERROR:
        return _html(completion_page("Problem submitting response", "An error occurred in the workflow"), 500)
    return _submitted(target)


def _trigger_page(target: FormTarget, request: Request, test: bool, error: str | None = None) -> str:
    params = target.node.parameters
    return form_page(
        title=str(params.get("formTitle") or ""),
        description=str(params.get("formDescription") or ""),
        fields=target.fields,
        action=str(request.url.path),
        button=str(target.options.get("buttonLabel") or "Submit"),
        test=test,
        error=error,
        defaults=dict(request.query_params),
        css=str(target.options.get("customCss") or ""),
    )


async def _serve_form(
    request: Request, path: str, test: bool, client: ClientDep, session: SessionDep,
    settings: SettingsDep, cluster: ClusterDep,
) -> Response:  # fmt: skip
    target = find_form_trigger(await active_plans(session), path)
    if target is None:
        raise NotFoundError(f'The requested form "{path}" is not registered.', path=path)
    if target.node.type_version > 1:
        try:
            webhook = WebhookTarget(target.workflow_id, target.plan, target.node, 0)
            check_auth(request, webhook, ConfigCredentials(cluster.credentials))
        except WebhookAuthError:
            return Response(status_code=401, headers={"WWW-Authenticate": 'Basic realm="Enter credentials"'})
    if request.method == "GET":
        return _html(_trigger_page(target, request, test))
    execution_id = f"form-{uuid.uuid4().hex}"
    # Uploaded files go to the binary store under this execution; only references enter the run.
    binary = ExecutionBinary(
        settings.binary_data.store(settings.data_dir), target.plan.workflow_id, execution_id
    )
    try:
        submission = await read_submission(request, binary)
        item = submission_item(
            target.fields,
            submission.posted,
            mode="test" if test else "production",
            timezone=form_timezone(target.plan),
            query=dict(request.query_params),
            uploads=submission.uploads,
        )
    except FormInputError as exc:
        return _html(_trigger_page(target, request, test, error=str(exc)), 422)
    files = submission.binary(target.fields)
    run_input = RunN8nInput(
        plan=target.plan,
        trigger_items=[{"json": item, **({"binary": files} if files else {})}],
        start_node=target.node.name,
        mode="manual" if test else "webhook",
        webhook_base_url=settings.api.base_url,
        approval=approval_policy(cluster.security),
    )
    return await _start(target, run_input, client, settings, execution_id)


async def _start(
    target: FormTarget, run_input: RunN8nInput, client: ClientDep, settings: SettingsDep, execution_id: str
) -> Response:
    queue = settings.temporal.task_queue
    mode = str(target.node.parameters.get("responseMode") or "onReceived")
    start = WithStartWorkflowOperation(
        N8nWorkflow.run,
        run_input,
        id=execution_id,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        task_queue=queue,
    )
    try:
        if target.has_pages:
            step: FormStep = await asyncio.wait_for(
                client.execute_update_with_start_workflow(
                    N8nWorkflow.form_step, FormStepRequest(after_step=0), start_workflow_operation=start
                ),
                RESPONSE_TIMEOUT_S,
            )
            return _screen(step, execution_id, target)
        if mode == "responseNode":
            answer: WebhookResponse = await asyncio.wait_for(
                client.execute_update_with_start_workflow(
                    N8nWorkflow.webhook_response, start_workflow_operation=start
                ),
                RESPONSE_TIMEOUT_S,
            )
            if not answer.responded:
                return _submitted(target)
            if isinstance(answer.body, str):
                return Response(answer.body, status_code=answer.status_code, headers=answer.headers)
            return JSONResponse(answer.body, status_code=answer.status_code, headers=answer.headers)
        handle = await client.start_workflow(N8nWorkflow.run, run_input, **start_options(execution_id, queue))
        if mode == "lastNode":
            run = await asyncio.wait_for(handle.result(), RESPONSE_TIMEOUT_S)
            if run.status is not ExecutionStatus.SUCCESS:
                return _screen(FormStep(finished=True, status=run.status), execution_id, target)
    except TimeoutError:
        return _html(completion_page("Still working", f"No response within {RESPONSE_TIMEOUT_S:.0f} s"), 504)
    return _submitted(target)


async def _form_state(client: ClientDep, execution_id: str) -> FormStep:
    handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
    try:
        return await handle.query(N8nWorkflow.form_state)
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
            raise NotFoundError(f"The form of execution {execution_id!r} does not exist") from None
        raise


def _waiting_page(step: FormStep, execution_id: str, error: str | None = None) -> str:
    page = step.page or {}
    return form_page(
        title=str(page.get("title") or ""),
        description=str(page.get("description") or ""),
        fields=list(page.get("fields") or []),
        action=_waiting_url(execution_id),
        button=str(page.get("buttonLabel") or "Submit"),
        test=step.mode == "test",
        error=error,
        css=str(page.get("customCss") or ""),
    )


@router.api_route("/form-waiting/{execution_id}", methods=["GET", "POST"], include_in_schema=False)
async def form_waiting(request: Request, execution_id: str, client: ClientDep) -> Response:
    """The page the run waits on (GET), its submission (POST), or the form's ending."""
    step = await _form_state(client, execution_id)
    handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
    if request.method == "GET":
        if step.page is not None and step.waiting:
            return _html(_waiting_page(step, execution_id))
        if not step.finished and step.completion is None:
            # Between pages (a node before the next Form node still runs): wait for the next screen.
            step = await asyncio.wait_for(
                handle.execute_update(N8nWorkflow.form_step, FormStepRequest(after_step=step.step)),
                RESPONSE_TIMEOUT_S,
            )
        return _screen(step, execution_id, None)
    if step.page is None or not step.waiting:
        return _html(completion_page("Form already submitted", "This page was submitted already"), 409)
    try:
        item = submission_item(
            list(step.page.get("fields") or []),
            (await read_submission(request, None)).posted,
            mode=step.mode,
            timezone=step.timezone,
        )
    except FormInputError as exc:
        return _html(_waiting_page(step, execution_id, error=str(exc)), 422)
    try:
        after: FormStep = await asyncio.wait_for(
            handle.execute_update(
                N8nWorkflow.form_step, FormStepRequest(after_step=step.step, submission=item)
            ),
            RESPONSE_TIMEOUT_S,
        )
    except WorkflowUpdateFailedError:
        return _html(completion_page("Form already submitted", "This page was submitted already"), 409)
    return _screen(after, execution_id, None)


for _prefix, _test in (("/form", False), ("/form-test", True)):
    router.add_api_route(
        f"{_prefix}/{{path:path}}",
        path_route(_serve_form, _test),
        methods=["GET", "POST"],
        include_in_schema=False,
    )

__all__ = ["router"]
