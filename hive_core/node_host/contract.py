"""The wire between Hive's interpreter (Python) and the n8n node host (Node.js), version 1.

One activity, `ACTIVITY_NAME`, on the node host's task queue: it takes a `NodeHostTask` and
returns a `NodeHostResult`. Inside, everything stays n8n-shaped (INode, IConnections, run data,
INodeExecutionData items with binary references), because n8n's own code reads it on the other
side. A node's own failure comes back as `NodeHostResult.error` (data, not a raised error) so the
interpreter applies Retry On Fail and onError as for native nodes; anything raised by the
activity is an infrastructure failure and Temporal retries it.

`node_host/contract/schema.json` is this module's JSON schema (`python -m hive_core.node_host.contract`
rewrites it); a test on each side parses the other side's fixtures.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CONTRACT_VERSION = 1
ACTIVITY_NAME = "hive.n8n_node_host.run_node"
# One `poll()` of a polling trigger: same task and result (outputs None: nothing new).
POLL_ACTIVITY_NAME = "hive.n8n_node_host.poll_node"
# Webhook triggers of services: registration on (de)activation, and one request's `webhook()`.
WEBHOOK_SETUP_ACTIVITY_NAME = "hive.n8n_node_host.setup_webhooks"
WEBHOOK_ACTIVITY_NAME = "hive.n8n_node_host.run_webhook"
# One listening session of a trigger that keeps a connection open (IMAP, MQTT...): its trigger().
LISTEN_ACTIVITY_NAME = "hive.n8n_node_host.listen_trigger"
DEFAULT_TASK_QUEUE = "hive-n8n-nodes"

Item = dict[str, Any]


class _Wire(BaseModel):
    # Unknown keys are kept: the other side may be a newer minor revision of the same version.
    model_config = ConfigDict(extra="allow")


class WireCredentialRef(_Wire):
    """n8n's INodeCredentialsDetails: which credential, never the secret."""

    id: str | None = None
    name: str | None = None


class WireNode(_Wire):
    """A node as n8n's INode (camelCase, as in the export)."""

    name: str
    type: str
    typeVersion: float
    id: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    credentials: dict[str, WireCredentialRef] = Field(default_factory=dict)
    # Only for the node's own `this.continueOnFail()`; retries, executeOnce and alwaysOutputData
    # stay with the interpreter and are not sent.
    onError: Literal["stopWorkflow", "continueRegularOutput", "continueErrorOutput"] = "stopWorkflow"
    webhookId: str | None = None
    disabled: bool = False


class WireWorkflow(_Wire):
    """The workflow around the node: what `$('Other')`, `$node` and paired items walk."""

    id: str | None = None
    name: str = ""
    nodes: list[WireNode]
    # n8n's IConnections: {source: {"main": [[{"node", "type": "main", "index"}]]}}.
    connections: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    # n8n's workflow static data ({"global": {...}, "node:<name>": {...}}).
    static_data: dict[str, Any] = Field(default_factory=dict)


class NodeHostTask(_Wire):
    """Run one node once (one n8n `runNode`)."""

    contract_version: int = CONTRACT_VERSION
    execution_id: str
    execution_mode: str = "manual"
    workflow: WireWorkflow
    # The name of the node in `workflow.nodes` to run.
    node: str
    run_index: int = 0
    # Items per main input (n8n's ITaskDataConnections.main); None for an input without data.
    inputs: list[list[Item] | None] = Field(default_factory=list)
    # n8n's ISourceData per input ({previousNode, previousNodeOutput, previousNodeRun}).
    source: list[dict[str, Any] | None] = Field(default_factory=list)
    # n8n-shaped run data of the nodes the node's expressions may read.
    run_data: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    resume_url: str | None = None
    # `$vars` of expressions.
    variables: dict[str, str] = Field(default_factory=dict)


class NodeHostError(_Wire):
    """An n8n node error (NodeOperationError / NodeApiError), reduced to its JSON fields."""

    message: str
    name: str = "NodeOperationError"
    description: str | None = None
    item_index: int | None = None
    http_code: str | None = None
    # Other fields of n8n's error JSON (context, level, cause...): shown with the run data.
    extra: dict[str, Any] = Field(default_factory=dict)


class NodeHostResult(_Wire):
    """The node's output items per main output, or its error."""

    contract_version: int = CONTRACT_VERSION
    outputs: list[list[Item] | None] | None = None
    error: NodeHostError | None = None
    # The workflow static data after the node ran (None: unchanged).
    static_data: dict[str, Any] | None = None
    execution_time_ms: float = 0
    # Which n8n packages ran it ({"n8n-nodes-base": "1.121.53", ...}).
    packages: dict[str, str] = Field(default_factory=dict)


class WebhookSetupTask(NodeHostTask):
    """Register (`create`: n8n's checkExists, then create) or unregister (`delete`) the node's
    webhooks with its service; the URLs are `{webhook_base_url}/{webhook path}`."""

    action: Literal["create", "delete"]
    # n8n's WorkflowActivateMode: `activate` (user), `init` (start-up), `update` (new version).
    activation: Literal["activate", "init", "update"] = "activate"
    # `{Hive's public URL}/webhook`.
    webhook_base_url: str


class WireNodeWebhook(_Wire):
    """One webhook of the node (n8n's IWebhookData): method, path under /webhook/, full URL."""

    name: str
    http_method: str
    path: str
    url: str


class WebhookSetupResult(NodeHostResult):
    """`error`: the service refused (registration undone); static data holds what it keeps."""

    webhooks: list[WireNodeWebhook] = Field(default_factory=list)


class WireWebhookRequest(_Wire):
    """An HTTP request to the node's webhook, as the node's `webhook()` reads it."""

    method: str
    # The path under /webhook/ (`<webhookId>/<path>`).
    path: str
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, Any] = Field(default_factory=dict)
    # The parsed body (JSON, form fields or text), as n8n's body parser gives it.
    body: Any = None
    # The bytes as received, base64 (n8n's `req.rawBody`: signature checks read it).
    raw_body: str | None = None


class WebhookTask(NodeHostTask):
    """Run the node's `webhook()` for one request."""

    webhook_base_url: str
    request: WireWebhookRequest


class WireWebhookResponse(_Wire):
    """What the node wrote to the response object itself (`res.status(403).json(...)`)."""

    status: int = 200
    headers: dict[str, str] = Field(default_factory=dict)
    # A JSON body (`res.json`) or, for anything else, the bytes in base64.
    body: Any = None
    body_base64: str | None = None


class WebhookResult(NodeHostResult):
    """`outputs` is the node's `workflowData` (None: start no run)."""

    # False: none of the node's webhooks listens on that method and path.
    found: bool = False
    webhook_name: str | None = None
    # The webhook description's response options, evaluated (n8n's defaults).
    response_mode: str = "onReceived"
    response_code: int = 200
    response_data: Any = None
    webhook_response: Any = None
    has_webhook_response: bool = False
    no_webhook_response: bool = False
    response: WireWebhookResponse | None = None


class TriggerListenTask(NodeHostTask):
    """Run the node's `trigger()` until it emitted and went quiet, or the session ended."""

    activation: Literal["activate", "init", "update"] = "activate"
    # The session's longest life: then the trigger is closed and the next session opens it again.
    max_session_s: float = 3600
    # After an emit, how long the trigger must stay quiet before the session returns its emits.
    quiet_ms: int = 1000
    # A busy trigger's session returns after this many emits (they travel in one result).
    max_emits: int = 50


class TriggerEmit(_Wire):
    """One `emit()` of the trigger: the items of one run, and the run's execution id (its files
    are stored under it)."""

    execution_id: str
    outputs: list[list[Item] | None]


class TriggerListenResult(NodeHostResult):
    """The session's emits, in order; `error` is the trigger's `emitError` or a throwing trigger()."""

    emits: list[TriggerEmit] = Field(default_factory=list)
    # Why the session ended: emitted, full, session, cancelled, error.
    ended: str = "session"


def json_schema() -> dict[str, Any]:
    """Both messages' JSON schemas, as committed in node_host/contract/schema.json."""
    return {
        "$comment": "Generated by `python -m hive_core.node_host.contract`; do not edit.",
        "contract_version": CONTRACT_VERSION,
        "activity": ACTIVITY_NAME,
        "task": NodeHostTask.model_json_schema(),
        "result": NodeHostResult.model_json_schema(),
        "webhook_setup_task": WebhookSetupTask.model_json_schema(),
        "webhook_setup_result": WebhookSetupResult.model_json_schema(),
        "webhook_task": WebhookTask.model_json_schema(),
        "webhook_result": WebhookResult.model_json_schema(),
        "listen_task": TriggerListenTask.model_json_schema(),
        "listen_result": TriggerListenResult.model_json_schema(),
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "ACTIVITY_NAME",
    "CONTRACT_VERSION",
    "DEFAULT_TASK_QUEUE",
    "NodeHostError",
    "NodeHostResult",
    "NodeHostTask",
    "POLL_ACTIVITY_NAME",
    "LISTEN_ACTIVITY_NAME",
    "TriggerEmit",
    "TriggerListenResult",
    "TriggerListenTask",
    "WEBHOOK_ACTIVITY_NAME",
    "WEBHOOK_SETUP_ACTIVITY_NAME",
    "WebhookResult",
    "WebhookSetupResult",
    "WebhookSetupTask",
    "WebhookTask",
    "WireNodeWebhook",
    "WireWebhookRequest",
    "WireWebhookResponse",
    "WireCredentialRef",
    "WireNode",
    "WireWorkflow",
    "json_schema",
    "schema_text",
]

if __name__ == "__main__":
    sys.stdout.write(schema_text())
