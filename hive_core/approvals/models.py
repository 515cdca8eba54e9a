"""Typed payloads of approval gates, shared by the workflow, the API and the run starters.

Pure pydantic models (no I/O): the workflow imports them through Temporal's sandbox pass-through.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from hive_core.config.models import SecurityConfig

# The gate id of a workflow-level gate; a node's gate is `node:<node name>`.
WORKFLOW_GATE_ID = "workflow"
# HiveStatus search attribute value while a run waits for a decision.
AWAITING_APPROVAL = "awaiting_approval"


def node_gate_id(node: str) -> str:
    """The gate id of node `node` (one gate per node per run)."""
    return f"node:{node}"


class ApprovalPolicy(BaseModel):
    """Whether a run honours approval markings, set by whoever starts the run.

    Defaults are safe for old callers: gates off, so a run started without a policy never waits.
    """

    # `security.require_approval`: off means every marking is ignored.
    enabled: bool = False
    # `security.approval_timeout`: how long a gate without its own `timeout=` waits.
    default_timeout_s: float = Field(default=86_400, gt=0)


def approval_policy(security: SecurityConfig) -> ApprovalPolicy:
    """The policy a run starter passes in `RunN8nInput.approval`, from `hive.yaml`'s security section."""
    return ApprovalPolicy(enabled=security.require_approval, default_timeout_s=security.approval_timeout)


class ApprovalDecision(BaseModel):
    """An approver's decision: the argument of the `decide_approval` update."""

    # None: the only pending gate (rejected when none or several are pending).
    gate_id: str | None = None
    approve: bool
    # Who decided (the audit log's actor, e.g. a user's email or `key:<name>`).
    by: str = Field(min_length=1)
    comment: str | None = None


class GateState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    TIMED_OUT = "timed_out"


class ApprovalGate(BaseModel):
    """One gate of a run: what waits, since when, until when, and how it was decided."""

    gate_id: str
    # The gated node; None for the workflow-level gate.
    node: str | None = None
    requested_at: datetime
    deadline: datetime
    state: GateState = GateState.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None


__all__ = [
    "AWAITING_APPROVAL",
    "WORKFLOW_GATE_ID",
    "ApprovalDecision",
    "ApprovalGate",
    "ApprovalPolicy",
    "GateState",
    "approval_policy",
    "node_gate_id",
]
