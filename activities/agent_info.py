"""Identity of the agent daemon that picked up a task: proves which host polls which queue."""

from __future__ import annotations

import os
import socket

from pydantic import BaseModel
from temporalio import activity

from hive_core.config import AgentConfig


class DescribeAgentInput(BaseModel):
    """Nothing to ask yet; a model so the signature can grow without breaking callers."""


class AgentIdentity(BaseModel):
    agent_id: str
    name: str
    endpoint: str
    models: list[str]
    capabilities: list[str]
    hostname: str
    pid: int
    task_queue: str


class AgentInfoActivities:
    def __init__(self, agent: AgentConfig) -> None:
        self._agent = agent

    @activity.defn(name="hive.describe_agent")
    async def describe_agent(self, _: DescribeAgentInput) -> AgentIdentity:
        return AgentIdentity(
            agent_id=self._agent.id,
            name=self._agent.name,
            endpoint=self._agent.endpoint,
            models=self._agent.models,
            capabilities=self._agent.capabilities,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            task_queue=activity.info().task_queue,
        )
