"""Ask whichever daemon polls a queue who it is: the smallest end-to-end check of routing."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.agent_info import AgentIdentity, AgentInfoActivities, DescribeAgentInput


class AgentProbeInput(BaseModel):
    task_queue: str
    timeout_s: float = 10.0


@workflow.defn
class AgentProbeWorkflow:
    @workflow.run
    async def run(self, request: AgentProbeInput) -> AgentIdentity:
        return await workflow.execute_activity_method(
            AgentInfoActivities.describe_agent,
            DescribeAgentInput(),
            task_queue=request.task_queue,
            # No daemon on the queue must fail fast, not wait forever.
            schedule_to_start_timeout=timedelta(seconds=request.timeout_s),
            start_to_close_timeout=timedelta(seconds=request.timeout_s),
            summary=f"describe agent on {request.task_queue}",
        )
