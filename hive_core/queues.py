"""Task queue names: one place decides how work is routed.

- ``hive-workflows``: the interpreter workflow and its pure-data nodes (central workers).
- ``hive-agent-<id>``: work pinned to one agent (its daemon polls it).
- ``hive-model-<model>``: any agent serving the model may take it (pull-based balancing).
- ``hive-capability-<cap>``: any agent with the capability may take it.
"""

from __future__ import annotations

import re

from hive_core.config.models import AgentConfig, normalize_model_name

_UNSAFE = re.compile(r"[^A-Za-z0-9._:/-]")


def _safe(part: str) -> str:
    return _UNSAFE.sub("_", part.strip())


def agent_queue(agent_id: str) -> str:
    return f"hive-agent-{_safe(agent_id)}"


def model_queue(model: str) -> str:
    return f"hive-model-{_safe(normalize_model_name(model))}"


def capability_queue(capability: str) -> str:
    return f"hive-capability-{_safe(capability.lower())}"


def queues_for_agent(agent: AgentConfig) -> list[str]:
    """Every queue an agent's worker polls: its own, its models', its capabilities'."""
    queues = [agent_queue(agent.id)]
    queues += [model_queue(m) for m in agent.models]
    queues += [capability_queue(c) for c in agent.capabilities]
    return list(dict.fromkeys(queues))
