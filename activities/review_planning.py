"""Seats of a code review asked for from an n8n workflow, resolved against the cluster description.

Workflow code cannot read hive.yaml; this activity turns an item's ``author`` / ``reviewers``
(agent, capability or model names) into routed seats, refusing unknown names as a node error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from temporalio import activity

from hive_core.config import ClusterConfig
from hive_core.errors import HiveError
from hive_core.projects import Participant, ReviewOptions, ReviewRequest, choose_reviewers, route_for
from workflows.retries import node_error


class PlanReviewInput(BaseModel):
    # The item's JSON: task, code?, author?, reviewers? (list of seats or a count), quorum?, ...
    item: dict[str, Any]


def _seat(raw: Any, where: str) -> dict[str, Any]:
    if isinstance(raw, str):
        return {"agent": raw}
    if isinstance(raw, dict):
        return {key: raw.get(key) for key in ("agent", "capability", "model")}
    raise HiveError(f"{where} must be an agent name or an object with agent / capability / model")


class ReviewPlanningActivities:
    def __init__(self, cluster: ClusterConfig) -> None:
        self._cluster = cluster

    @activity.defn(name="hive.reviews.plan")
    async def plan_review(self, request: PlanReviewInput) -> ReviewRequest:
        """The review request for one item, or a node error naming the field at fault."""
        item = request.item
        try:
            task = item.get("task")
            if not isinstance(task, str) or not task.strip():
                raise HiveError('the item needs a "task" (what the code must do)')
            reviewers = item.get("reviewers", 2)
            options = ReviewOptions.model_validate(
                {
                    key: item[key]
                    for key in ("quorum", "max_rounds", "human_approval", "approval_timeout_s")
                    if key in item
                }
                | ({"reviewers": reviewers} if isinstance(reviewers, int) else {"reviewers": len(reviewers)})
            )
            route, model = route_for(
                self._cluster, **_seat(item.get("author", {}), "author"), where="the author"
            )
            author = Participant(label="author", route=route, model=model)
            if isinstance(reviewers, list):
                seats = []
                for index, raw in enumerate(reviewers, start=1):
                    seat_route, seat_model = route_for(
                        self._cluster, **_seat(raw, f"reviewers[{index - 1}]"), where=f"reviewer {index}"
                    )
                    seats.append(Participant(label=f"reviewer {index}", route=seat_route, model=seat_model))
            else:
                seats = choose_reviewers(self._cluster, author, options.reviewers)
            code = item.get("code")
            return ReviewRequest(
                task=task,
                code=code if isinstance(code, str) else None,
                author=author,
                reviewers=seats,
                options=options,
            )
        except (HiveError, ValidationError) as exc:
            raise node_error(f"code review: {getattr(exc, 'message', None) or exc}") from exc


__all__ = ["PlanReviewInput", "ReviewPlanningActivities"]
