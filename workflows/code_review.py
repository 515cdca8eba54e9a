"""Multi-agent code review, durable: an author writes, N reviewers judge in parallel, a quorum decides.

    round 1..max_rounds:
      author writes the code (round 1; or reviews the given code) or revises it with the comments
      reviewers answer {"verdict": "approve" | "request_changes", "comments": [...]} in parallel
      approvals ≥ quorum → approved (then the optional human gate) ; else another round
    no round approved → changes_requested; every reviewer failed in a round → the run fails
    saying so, and nothing is marked approved.

The human gate is the approvals feature's own: the run shows up in `GET /api/approvals` and is
decided with `POST /api/executions/{id}/approve|reject` like any gated n8n run.
"""

from __future__ import annotations

import asyncio
import math

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.routing import AiRoute
    from hive_core.approvals import WORKFLOW_GATE_ID, ApprovalDecision, ApprovalGate, GateState
    from hive_core.ollama.types import ChatRequest, ChatResult
    from hive_core.projects.models import (
        Participant,
        Quorum,
        ReviewOutcome,
        ReviewRequest,
        ReviewResult,
        ReviewRound,
        Verdict,
    )
    from n8n_import.plan import ApprovalMark
    from workflows import ai_dispatch
    from workflows.agent_prompts import (
        VERDICT_SCHEMA,
        author_messages,
        code_of,
        read_verdict,
        reviewer_messages,
    )
    from workflows.approvals import ApprovalGates

# Host failures one call may meet before its seat counts as failed for the round.
CALL_ATTEMPTS = 2
REVIEWERS_FAILED = "ReviewersFailed"


def required_approvals(quorum: Quorum, reviewers: int) -> int:
    """Approvals needed out of ``reviewers`` seats (a failed reviewer never approves)."""
    if quorum == "all":
        return reviewers
    if quorum == "majority":
        return math.floor(reviewers / 2) + 1
    return min(int(quorum), reviewers)


async def _chat(seat: Participant, request: ChatRequest, summary: str) -> ChatResult:
    route = AiRoute(agent=seat.route.agent, capability=seat.route.capability)
    return await ai_dispatch.chat(request, route, summary=summary, attempts=CALL_ATTEMPTS)


@workflow.defn(name="HiveCodeReview")
class CodeReviewWorkflow:
    def __init__(self) -> None:
        self._rounds: list[ReviewRound] = []
        self._gates = ApprovalGates()

    @workflow.run
    async def run(self, request: ReviewRequest) -> ReviewResult:
        code = request.code
        comments: list[str] = []
        for number in range(1, request.options.max_rounds + 1):
            if code is None or number > 1:
                code = await self._author(request, code, comments)
            verdicts = await asyncio.gather(
                *(self._review(request, seat, code, number) for seat in request.reviewers)
            )
            approvals = sum(v.verdict == "approve" for v in verdicts)
            required = required_approvals(request.options.quorum, len(request.reviewers))
            self._rounds.append(
                ReviewRound(
                    number=number, code=code, verdicts=list(verdicts), approvals=approvals, required=required
                )
            )
            if all(v.error is not None for v in verdicts):
                errors = "; ".join(f"{v.reviewer}: {v.error}" for v in verdicts)
                raise ApplicationError(
                    f"code review round {number}: every reviewer failed, nothing was approved ({errors})",
                    self._result(False, ReviewOutcome.REVIEWERS_FAILED, code).model_dump(mode="json"),
                    type=REVIEWERS_FAILED,
                    non_retryable=True,
                )
            if approvals >= required:
                return await self._finish(request, code)
            comments = [
                f"{v.reviewer}: {c}" for v in verdicts if v.verdict == "request_changes" for c in v.comments
            ]
        assert code is not None
        return self._result(False, ReviewOutcome.CHANGES_REQUESTED, code)

    async def _author(self, request: ReviewRequest, previous: str | None, comments: list[str]) -> str:
        messages = author_messages(request.task, request.context, previous, comments)
        reply = await _chat(
            request.author, ChatRequest(model=request.author.model, messages=messages), "code review: author"
        )
        return code_of(reply.message.content)

    async def _review(self, request: ReviewRequest, seat: Participant, code: str, number: int) -> Verdict:
        chat = ChatRequest(
            model=seat.model, messages=reviewer_messages(request.task, code), format=VERDICT_SCHEMA
        )
        try:
            reply = await _chat(seat, chat, f"code review round {number}: {seat.label}")
        except ApplicationError as exc:
            return Verdict(reviewer=seat.label, model=seat.model, error=exc.message)
        return read_verdict(seat.label, seat.model, reply.message.content)

    async def _finish(self, request: ReviewRequest, code: str) -> ReviewResult:
        if not request.options.human_approval:
            return self._result(True, ReviewOutcome.APPROVED, code)
        self._gates.policy = self._gates.policy.model_copy(update={"enabled": True})
        await self._gates.wait(
            WORKFLOW_GATE_ID, None, ApprovalMark(timeout_s=request.options.approval_timeout_s)
        )
        gate = self._gates.records()[-1]
        approved = gate.state is GateState.APPROVED
        return self._result(
            approved, ReviewOutcome.APPROVED if approved else ReviewOutcome.REJECTED, code, gate
        )

    def _result(
        self, approved: bool, outcome: ReviewOutcome, code: str, gate: ApprovalGate | None = None
    ) -> ReviewResult:
        return ReviewResult(
            approved=approved, outcome=outcome, code=code, rounds=list(self._rounds), approval=gate
        )

    @workflow.query
    def rounds(self) -> list[ReviewRound]:
        """The rounds so far: each round's code and verdicts."""
        return list(self._rounds)

    @workflow.update
    def decide_approval(self, decision: ApprovalDecision) -> ApprovalGate:
        """A human approves or rejects the reviewed code (same update as gated n8n runs)."""
        return self._gates.decide(decision)

    @decide_approval.validator
    def _validate_decision(self, decision: ApprovalDecision) -> None:
        self._gates.validate(decision)

    @workflow.query
    def approvals(self) -> list[ApprovalGate]:
        return self._gates.records()


__all__ = ["REVIEWERS_FAILED", "CodeReviewWorkflow", "required_approvals"]
