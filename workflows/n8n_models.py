"""Typed inputs and outputs of the n8n interpreter workflow (shared by API, CLI and tests)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from hive_core.approvals.models import ApprovalGate, ApprovalPolicy
from n8n_import.plan import Plan

Item = dict[str, Any]


class ExecutionStatus(StrEnum):
    RUNNING = "running"
    # A Wait node waits for its resume webhook, or an approval gate for its decision.
    WAITING = "waiting"
    SUCCESS = "success"
    ERROR = "error"


class RunN8nInput(BaseModel):
    """Run one compiled n8n workflow."""

    plan: Plan
    # What the start node receives; None means n8n's manual run: one empty item.
    trigger_items: list[Item] | None = None
    start_node: str | None = None
    # The start node's output the trigger items leave on (a webhook with several methods).
    trigger_output: int = 0
    mode: str = "manual"
    # Base of `$execution.resumeUrl` (`<base>/webhook-waiting/<execution id>`), e.g. the API's URL.
    webhook_base_url: str | None = None
    # Stop a runaway loop after this many node runs (n8n has no limit; Hive's history does).
    max_node_runs: int | None = 5000
    # Retry from the failed node: a failed run's `N8nRunSnapshot.pending_work` (n8n's retry keeps the
    # run data of the nodes that ran and continues where the run stopped). None: a fresh run.
    resume_from: dict[str, Any] | None = None
    # Approval gates (`security.require_approval`); the default (off) ignores every marking.
    # Starters set it with `hive_core.approvals.approval_policy(cluster.security)`.
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)


class RunningNode(BaseModel):
    """A node the executor is running right now (not yet in `run_data`), for live updates."""

    name: str
    run_index: int
    started_at: datetime


class N8nRunSnapshot(BaseModel):
    """A run as n8n shows it: per node, per run, start, duration, status, items, error."""

    status: ExecutionStatus
    started_at: datetime
    stopped_at: datetime | None = None
    run_data: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    last_node_executed: str | None = None
    node_execution_order: list[str] = Field(default_factory=list)
    error: dict[str, Any] | None = None
    logs: list[dict[str, Any]] = Field(default_factory=list)
    # Set when the run failed: what it still had to do (`WorkflowRun.pending_work`), for a retry.
    pending_work: dict[str, Any] | None = None
    # Query-only: what runs now (empty once the run ended); n8n has no equivalent.
    running_nodes: list[RunningNode] = Field(default_factory=list)
    # Approval gates of the run, pending and decided (status is WAITING while one is pending).
    approvals: list[ApprovalGate] = Field(default_factory=list)

    def fit_payload(self, limit_bytes: int) -> N8nRunSnapshot:
        """The same snapshot, with item data dropped oldest-first until it fits Temporal's limit.

        A dropped run keeps its timing and status and says how many items it had
        (`hiveTruncated`), so a result never exceeds the 2 MB payload limit and stalls.
        """
        if len(self.model_dump_json()) <= limit_bytes:
            return self
        # Retry data goes first: a run whose item data must be dropped cannot be retried anyway.
        trimmed = self.model_copy(deep=True, update={"pending_work": None})
        if len(trimmed.model_dump_json()) <= limit_bytes:
            return trimmed
        tasks = sorted(
            (task for runs in trimmed.run_data.values() for task in runs),
            key=lambda task: task.get("executionIndex", 0),
        )
        for task in tasks[:-1] + tasks[-1:]:  # the last node's output goes last
            outputs = (task.get("data") or {}).get("main") or []
            task["hiveTruncated"] = {"items": [len(items or []) for items in outputs]}
            task["data"] = {"main": [[] if items is not None else None for items in outputs]}
            if len(trimmed.model_dump_json()) <= limit_bytes:
                break
        return trimmed

    def to_n8n(self) -> dict[str, Any]:
        """The shape `n8n execute --rawOutput` prints, for node-by-node comparison with n8n."""
        result_data: dict[str, Any] = {
            "runData": self.run_data,
            "lastNodeExecuted": self.last_node_executed,
        }
        if self.error is not None:
            result_data["error"] = self.error
        return {
            "data": {"resultData": result_data},
            "status": self.status.value,
            "startedAt": self.started_at.isoformat().replace("+00:00", "Z"),
            "stoppedAt": self.stopped_at.isoformat().replace("+00:00", "Z") if self.stopped_at else None,
        }


class WebhookResponse(BaseModel):
    """What a Respond to Webhook node decided to send (or that the run ended without one)."""

    status_code: int = 200
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    # False when the run ended without reaching a Respond to Webhook node.
    responded: bool = True


class ResumeRequest(BaseModel):
    """The HTTP call that resumes a Wait node (what the Wait node then outputs)."""

    json_data: dict[str, Any] = Field(default_factory=dict)


class FormStep(BaseModel):
    """Where a run's n8n form stands: the page waiting for its submission, or the ending shown.

    `step` counts form screens (the trigger's page is 0); `finished` once the run ended.
    """

    step: int = 0
    node: str | None = None
    # A Form page: {fields, title, description, buttonLabel, customCss}; waiting until submitted.
    page: dict[str, Any] | None = None
    waiting: bool = False
    # A Form ending: {respondWith, title, message, redirectUrl, responseText, pageTitle}.
    completion: dict[str, Any] | None = None
    # n8n's formMode of the run ("test" for manual runs), and the zone of `submittedAt`.
    mode: str = "production"
    timezone: str = "UTC"
    finished: bool = False
    status: ExecutionStatus | None = None


class FormStepRequest(BaseModel):
    """Wait for the form's next screen after `after_step`, submitting that page first if given."""

    after_step: int = 0
    # The submitted page's item (n8n's shape); None: only wait.
    submission: dict[str, Any] | None = None
