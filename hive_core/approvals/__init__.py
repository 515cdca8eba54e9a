"""Approval gates: the payloads shared by the workflow, the API and whoever starts runs."""

from hive_core.approvals.models import (
    AWAITING_APPROVAL,
    WORKFLOW_GATE_ID,
    ApprovalDecision,
    ApprovalGate,
    ApprovalPolicy,
    GateState,
    approval_policy,
    node_gate_id,
)

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
