"""Multi-agent code reviews: start one (author + reviewers + quorum, optional human gate), read it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from api.auth import AUTH_RESPONSES, require
from api.deps import ClientDep, ClusterDep, SettingsDep
from api.errors import error_responses
from hive_core.auth import Permission, Principal
from hive_core.errors import NotFoundError
from hive_core.executions.temporal import QUERY_TIMEOUT, temporal_errors
from hive_core.projects import Participant, ReviewOptions, ReviewRequest, ReviewResult, ReviewRound, route_for
from hive_core.projects.planning import choose_reviewers
from workflows.code_review import CodeReviewWorkflow
from workflows.retries import RUN_TASK_TIMEOUT

router = APIRouter(prefix="/api/reviews", tags=["reviews"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.EXECUTIONS_WRITE))]


class Seat(BaseModel):
    agent: str | None = None
    capability: str | None = None
    model: str | None = None


class ReviewBody(BaseModel):
    task: str = Field(min_length=1, max_length=100_000)
    # Given: reviewers start on this code; otherwise the author writes it first.
    code: str | None = Field(default=None, max_length=1_000_000)
    author: Seat = Seat()
    # Named reviewer seats; or leave empty and set options.reviewers (chosen on other hosts/models).
    reviewers: list[Seat] = Field(default=[], max_length=16)
    options: ReviewOptions = ReviewOptions()


class ReviewView(BaseModel):
    id: str
    status: str
    rounds: list[ReviewRound] = []
    result: ReviewResult | None = None
    error: str | None = None


@router.post(
    "",
    response_model=ReviewView,
    status_code=201,
    responses=error_responses({422: "unknown agent, capability or model", 503: "Temporal is unreachable"}),
)
async def post_review(
    body: ReviewBody, _: Writer, client: ClientDep, cluster: ClusterDep, settings: SettingsDep
) -> ReviewView:
    """Start a durable code review; follow it with `GET /api/reviews/{id}`."""
    route, model = route_for(cluster, **body.author.model_dump(), where="the author")
    author = Participant(label="author", route=route, model=model)
    if body.reviewers:
        seats = []
        for index, seat in enumerate(body.reviewers, start=1):
            seat_route, seat_model = route_for(cluster, **seat.model_dump(), where=f"reviewer {index}")
            seats.append(Participant(label=f"reviewer {index}", route=seat_route, model=seat_model))
    else:
        seats = choose_reviewers(cluster, author, body.options.reviewers)
    review_id = f"hive-review-{uuid.uuid4()}"
    request = ReviewRequest(
        task=body.task, code=body.code, author=author, reviewers=seats, options=body.options
    )
    with temporal_errors():
        await client.start_workflow(
            CodeReviewWorkflow.run,
            request,
            id=review_id,
            task_queue=settings.temporal.task_queue,
            task_timeout=RUN_TASK_TIMEOUT,
        )
    return ReviewView(id=review_id, status="running")


@router.get("/{review_id}", response_model=ReviewView, responses=error_responses({404: "no such review"}))
async def get_review(review_id: str, _: Reader, client: ClientDep) -> ReviewView:
    """The review's rounds so far, and its result once it ended."""
    handle = client.get_workflow_handle_for(CodeReviewWorkflow.run, review_id)
    with temporal_errors(review_id):
        description = await handle.describe()
        if description.workflow_type != "HiveCodeReview":
            raise NotFoundError(f"review {review_id!r} does not exist", review_id=review_id)
        if description.status is WorkflowExecutionStatus.RUNNING:
            rounds = await handle.query(CodeReviewWorkflow.rounds, rpc_timeout=QUERY_TIMEOUT)
            return ReviewView(id=review_id, status="running", rounds=rounds)
        try:
            result = await handle.result()
        except WorkflowFailureError as exc:
            cause = exc.cause
            details: Any = cause.details[0] if isinstance(cause, ApplicationError) and cause.details else None
            failed = ReviewResult.model_validate(details) if isinstance(details, dict) else None
            return ReviewView(
                id=review_id,
                status="failed",
                rounds=failed.rounds if failed else [],
                result=failed,
                error=str(cause.message if isinstance(cause, ApplicationError) else exc),
            )
    return ReviewView(id=review_id, status="completed", rounds=result.rounds, result=result)
