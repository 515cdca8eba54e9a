"""Two kinds of failure, one rule for every activity and child workflow Hive's workflows run.

    infrastructure failure                      node error
    ───────────────────────────────────────     ──────────────────────────────────────────────
    the worker died or shut down (heartbeat,    what the node itself reports: an HTTP status,
    start-to-close, schedule-to-start           a refused target, a thrown Code error, a
    timeout), the connection to Temporal        service's error, bad credentials
    broke, Hive's own database failed
    → Temporal retries it on any worker, no     → returned as data (a typed output's `error`)
      attempt limit, within the call's            or raised as a non-retryable ApplicationError
      `schedule_to_close_timeout`                 (`node_error`): the interpreter applies
                                                  n8n's Retry On Fail (maxTries,
                                                  waitBetweenTries) and then onError

Every `execute_activity` / `execute_local_activity` in `workflows/` takes `infra_retry()`; an
activity that ends with anything else than a node error after its whole time is an
`InfrastructureFailure` for the interpreter: the node fails, without spending a Retry On Fail try.

Runs started before this rule retried n8n's tries as Temporal attempts; `PATCH` (checked once
per run by the interpreter) keeps them on that path so their histories replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from n8n_import.plan import PlanNode
    from n8n_runtime.engine import NodeResult

# `workflow.patched` id: set in runs that retry node errors in the workflow (see module docstring).
PATCH = "hive-failure-kinds"
# The `type` of a node's own failure raised as an ApplicationError (always non-retryable).
NODE_ERROR = "NodeError"
# Activities heartbeat every second (`activities.heartbeat`): five missed beats mean the worker is
# gone and Temporal starts the call again on another one (kill → restart measured in the README).
HEARTBEAT_TIMEOUT = timedelta(seconds=5)
# Workflow task timeout of every interpreter run (Temporal's default: 10 s). A worker killed in the
# middle of a workflow task (e.g. a long Code node, a local activity) loses it only after this,
# so the run goes on elsewhere within 5 s. The SDK heartbeats tasks that wait on local
# activities; a task that truly runs longer (replaying thousands of steps at once) would retry.
RUN_TASK_TIMEOUT = timedelta(seconds=5)


def infra_retry(*, non_retryable: Sequence[str] = ()) -> RetryPolicy:
    """Retry infrastructure failures without a count limit (bound the call with schedule-to-close).

    ``non_retryable``: ApplicationError types the caller counts itself (e.g. a failing agent host).
    """
    return RetryPolicy(
        initial_interval=timedelta(milliseconds=100),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=2),
        maximum_attempts=0,
        non_retryable_error_types=list(non_retryable) or None,
    )


def legacy_node_retry(node: PlanNode) -> RetryPolicy:
    """Runs started before `PATCH`: n8n's Retry On Fail as Temporal attempts (fixed interval)."""
    settings = node.settings
    return RetryPolicy(
        maximum_attempts=max(1, settings.max_tries if settings.retry_on_fail else 1),
        initial_interval=timedelta(milliseconds=max(1, settings.wait_between_tries_ms)),
        backoff_coefficient=1.0,
    )


def node_error(message: str, *details: object) -> ApplicationError:
    """A node's own failure as an activity error: final for Temporal, a try for Retry On Fail."""
    return ApplicationError(message, *details, type=NODE_ERROR, non_retryable=True)


def is_node_error(error: ActivityError | ChildWorkflowError) -> bool:
    """Whether the call failed by the node's own doing (a non-retryable application error)."""
    cause = error.cause
    return isinstance(cause, ApplicationError) and cause.non_retryable


def failure_message(error: ActivityError | ChildWorkflowError) -> str:
    """What a failed call says: its ApplicationError's message, else its cause (a timeout...)."""
    cause = error.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or error)


class InfrastructureFailure(Exception):  # noqa: N818 - names the kind of failure, as the docstring
    """The node's call failed for infrastructure reasons all its time long: `result` is final."""

    def __init__(self, result: NodeResult) -> None:
        super().__init__(result.error.message if result.error else "infrastructure failure")
        self.result = result


__all__ = [
    "HEARTBEAT_TIMEOUT",
    "NODE_ERROR",
    "PATCH",
    "RUN_TASK_TIMEOUT",
    "InfrastructureFailure",
    "failure_message",
    "infra_retry",
    "is_node_error",
    "legacy_node_retry",
    "node_error",
]
