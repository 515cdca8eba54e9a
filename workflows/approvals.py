"""Approval gates inside a run: durable waits for an approver's decision (deterministic code).

A gate opens when a marked node is about to run for the first time in the run (or, for a marked
workflow, before any node runs) and only when the run's `ApprovalPolicy` is enabled. It waits on
`workflow.wait_condition` with a durable timer for its deadline; the `decide_approval` update
closes it. Unmarked plans never reach any workflow API here, so their histories are unchanged.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals import (
        AWAITING_APPROVAL,
        WORKFLOW_GATE_ID,
        ApprovalDecision,
        ApprovalGate,
        ApprovalPolicy,
        GateState,
        node_gate_id,
    )
    from hive_core.errors import ConflictError, NotFoundError
    from hive_core.temporal.search_attributes import HIVE_STATUS
    from hive_core.temporal_errors import to_application_error
    from n8n_import.plan import ApprovalMark, PlanNode
    from n8n_runtime.engine import NodeFailure

# The `name` of the error a rejected or timed-out gate leaves in run data.
APPROVAL_ERROR = "ApprovalError"


class ApprovalGates:
    """Every gate of one run, pending or decided, in the order they opened."""

    def __init__(self) -> None:
        self.policy = ApprovalPolicy()
        self._gates: dict[str, ApprovalGate] = {}

    def records(self) -> list[ApprovalGate]:
        """All gates so far (shown by the snapshot query)."""
        return list(self._gates.values())

    def pending(self) -> list[ApprovalGate]:
        """Gates waiting for a decision."""
        return [gate for gate in self._gates.values() if gate.state is GateState.PENDING]

    def needs_node_gate(self, node: PlanNode) -> bool:
        """Whether `node` must wait now: marked, gates on, and not yet gated in this run."""
        if not self.policy.enabled or node.approval is None:
            return False
        return node_gate_id(node.name) not in self._gates

    def needs_workflow_gate(self, mark: ApprovalMark | None) -> bool:
        """Whether the run must wait before any node runs."""
        return self.policy.enabled and mark is not None and WORKFLOW_GATE_ID not in self._gates

    def validate(self, decision: ApprovalDecision) -> None:
        """Reject a decision for an unknown or already decided gate (the update is then refused).

        Raises:
            ApplicationError: type `NotFoundError` (no such gate) or `ConflictError` (nothing
                pending, decided already, or several pending and no gate named).
        """
        self._target(decision)

    def decide(self, decision: ApprovalDecision) -> ApprovalGate:
        """Record an approver's decision on its gate; the waiting node or run then goes on."""
        gate = self._target(decision)
        decided = gate.model_copy(
            update={
                "state": GateState.APPROVED if decision.approve else GateState.REJECTED,
                "decided_by": decision.by,
                "decided_at": workflow.now(),
                "comment": decision.comment,
            }
        )
        self._gates[gate.gate_id] = decided
        return decided

    def _target(self, decision: ApprovalDecision) -> ApprovalGate:
        if decision.gate_id is None:
            pending = self.pending()
            if not pending:
                raise to_application_error(ConflictError("no approval is pending in this run"))
            if len(pending) > 1:
                ids = ", ".join(gate.gate_id for gate in pending)
                raise to_application_error(ConflictError(f"several approvals are pending ({ids}); name one"))
            return pending[0]
        gate = self._gates.get(decision.gate_id)
        if gate is None:
            raise to_application_error(NotFoundError(f"no approval gate {decision.gate_id!r} in this run"))
        if gate.state is not GateState.PENDING:
            raise to_application_error(
                ConflictError(f"approval gate {gate.gate_id!r} was already decided ({gate.state.value})")
            )
        return gate

    async def wait(self, gate_id: str, node: str | None, mark: ApprovalMark) -> NodeFailure | None:
        """Open a gate and wait durably for its decision: None when approved, else why not."""
        timeout_s = mark.timeout_s or self.policy.default_timeout_s
        now = workflow.now()
        gate = ApprovalGate(
            gate_id=gate_id, node=node, requested_at=now, deadline=now + timedelta(seconds=timeout_s)
        )
        self._gates[gate_id] = gate
        workflow.upsert_search_attributes([HIVE_STATUS.value_set(AWAITING_APPROVAL)])
        try:
            await workflow.wait_condition(
                lambda: self._gates[gate_id].state is not GateState.PENDING,
                timeout=timedelta(seconds=timeout_s),
                timeout_summary=f"approval deadline: {node or 'workflow'}",
            )
        except TimeoutError:
            self._gates[gate_id] = gate.model_copy(
                update={"state": GateState.TIMED_OUT, "decided_at": workflow.now()}
            )
        workflow.upsert_search_attributes([HIVE_STATUS.value_set("running")])
        return gate_failure(self._gates[gate_id], timeout_s)


def gate_failure(gate: ApprovalGate, timeout_s: float) -> NodeFailure | None:
    """The error a closed gate leaves (None when approved), naming who rejected and why."""
    what = f'node "{gate.node}"' if gate.node is not None else "this workflow"
    if gate.state is GateState.APPROVED:
        return None
    if gate.state is GateState.TIMED_OUT:
        message = f"Approval for {what} timed out: no decision within {_duration(timeout_s)}"
    else:
        reason = f": {gate.comment}" if gate.comment else " (no reason given)"
        message = f"Approval for {what} rejected by {gate.decided_by}{reason}"
    return NodeFailure(
        message,
        name=APPROVAL_ERROR,
        extra={"approval": gate.model_dump(mode="json")},
    )


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


__all__ = ["APPROVAL_ERROR", "ApprovalGates", "gate_failure"]
