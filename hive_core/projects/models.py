"""Typed payloads of tasks, projects and code reviews, shared by workflows, activities and the API.

Pure pydantic models (no I/O): workflow code imports them through the sandbox pass-through.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from hive_core.approvals import ApprovalGate
from hive_core.db.models.enums import TaskStatus

Quorum = Literal["majority", "all"] | Annotated[int, Field(ge=1, le=16)]


class ReviewOptions(BaseModel):
    """How a task's output is reviewed: N reviewers, a quorum, rounds, an optional human gate."""

    reviewers: Annotated[int, Field(ge=1, le=16)] = 2
    # "majority": more than half of the reviewers asked; "all": every one; a number: at least that.
    quorum: Quorum = "majority"
    max_rounds: Annotated[int, Field(ge=1, le=10)] = 3
    human_approval: bool = False
    approval_timeout_s: Annotated[float, Field(gt=0)] = 86_400


class Route(BaseModel):
    """Where a task's calls go: one agent, any agent with a capability, or any serving the model."""

    agent: str | None = None
    capability: str | None = None

    def key(self, model: str) -> str:
        """The slot pool the route draws on (see ``ProjectRunInput.slots``)."""
        if self.agent:
            return f"agent:{self.agent}"
        if self.capability:
            return f"capability:{self.capability}"
        return f"model:{model}"


class Participant(BaseModel):
    """An agent seat in a review: where its calls go and with which model."""

    label: str
    route: Route
    model: str


class PlannedTask(BaseModel):
    """A task as the project workflow runs it: routed, with its dependencies by task id."""

    id: str
    title: str
    description: str = ""
    priority: int = 0
    route: Route
    model: str
    depends_on: list[str] = []
    review: ReviewOptions | None = None
    # Filled by the planner when the task is reviewed: the reviewers' seats.
    reviewers: list[Participant] = []


class TaskContext(BaseModel):
    """What a finished dependency hands to the tasks after it."""

    task_id: str
    title: str
    result: str


class Artifact(BaseModel):
    """A file-like product of a task: each fenced code block of the agent's answer."""

    name: str
    language: str | None = None
    content: str


class ReviewOutcome(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    REVIEWERS_FAILED = "reviewers_failed"


class Verdict(BaseModel):
    """One reviewer's answer in one round; ``error`` when the reviewer could not give one."""

    reviewer: str
    model: str
    verdict: Literal["approve", "request_changes"] | None = None
    comments: list[str] = []
    error: str | None = None


class ReviewRound(BaseModel):
    number: int
    code: str
    verdicts: list[Verdict]
    approvals: int
    required: int


class ReviewRequest(BaseModel):
    """Input of the code review workflow: what to build (or the code to review) and who reviews."""

    task: Annotated[str, Field(min_length=1, max_length=100_000)]
    # Given: round 1 reviews this code instead of asking the author for it.
    code: str | None = None
    author: Participant
    reviewers: Annotated[list[Participant], Field(min_length=1, max_length=16)]
    options: ReviewOptions = ReviewOptions()
    context: list[TaskContext] = []
    # The task row the review belongs to (a project stage), to record its progress; None: standalone.
    task_id: str | None = None


class ReviewResult(BaseModel):
    approved: bool
    outcome: ReviewOutcome
    code: str
    rounds: list[ReviewRound]
    approval: ApprovalGate | None = None


class TaskRunInput(BaseModel):
    """Input of one task's workflow."""

    task: PlannedTask
    goal: str | None = None
    context: list[TaskContext] = []
    # Standalone tasks wait here for the tasks they depend on (a project orders its own).
    wait_for: list[str] = []


class TaskOutcome(BaseModel):
    task_id: str
    status: TaskStatus
    result: str | None = None
    artifacts: list[Artifact] = []
    error: str | None = None
    review: ReviewResult | None = None


class ProjectRunInput(BaseModel):
    project_id: str
    name: str
    goal: str | None = None
    tasks: list[PlannedTask]
    # Tasks in flight at once per route (agent:<id> / capability:<cap> / model:<m>), from the
    # agents' max_concurrent: when more are ready, higher priority goes first.
    slots: dict[str, int] = {}


class TaskProgress(BaseModel):
    task_id: str
    title: str
    status: TaskStatus
    priority: int
    error: str | None = None


class ProjectProgress(BaseModel):
    project_id: str
    status: TaskStatus
    tasks: list[TaskProgress]


__all__ = [
    "Artifact",
    "Participant",
    "PlannedTask",
    "ProjectProgress",
    "ProjectRunInput",
    "Quorum",
    "ReviewOptions",
    "ReviewOutcome",
    "ReviewRequest",
    "ReviewResult",
    "ReviewRound",
    "Route",
    "TaskContext",
    "TaskOutcome",
    "TaskProgress",
    "TaskRunInput",
    "Verdict",
]
