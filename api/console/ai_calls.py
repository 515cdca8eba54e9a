"""Which agent, host and model ran each AI node's LLM calls, read from the run's Temporal history.

n8n's run data of an AI node holds its answer, not where it ran. Hive's LLM calls are activities
(`hive.ollama.*`) whose summary starts with the node's name and whose result names the agent that
served it, the model and its speed; the history keeps both, for running and finished runs alike.
Read only for workflows that have AI nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from temporalio.client import Client

from api.console.graph import AiInfo
from hive_core.config import ClusterConfig
from hive_core.executions.temporal import run_handle, temporal_errors

LLM_ACTIVITY_PREFIX = "hive.ollama."


@dataclass
class _Tally:
    agent: str | None = None
    model: str | None = None
    tokens: int = 0
    rates: list[float] = field(default_factory=list)
    calls: int = 0


def _node_of(summary: str, names: list[str]) -> str | None:
    """The node a summary (``"<node name>: <what>"``) belongs to; the longest matching name wins."""
    best = None
    for name in names:
        if summary.startswith(f"{name}: ") and (best is None or len(name) > len(best)):
            best = name
    return best


def _host(cluster: ClusterConfig, agent: str | None) -> str | None:
    config = cluster.agents.get(agent) if agent else None
    return urlsplit(config.endpoint).hostname if config else None


async def ai_calls(
    client: Client, execution_id: str, node_names: list[str], cluster: ClusterConfig
) -> dict[str, AiInfo]:
    """Per AI node: the agent (and its host) and model of its last call, tokens and mean tokens/s."""
    converter = client.data_converter
    scheduled: dict[int, str] = {}  # scheduled event id → node
    tallies: dict[str, _Tally] = {}
    with temporal_errors(execution_id):
        async for event in run_handle(client, execution_id).fetch_history_events():
            if event.HasField("activity_task_scheduled_event_attributes"):
                attrs = event.activity_task_scheduled_event_attributes
                if not attrs.activity_type.name.startswith(LLM_ACTIVITY_PREFIX):
                    continue
                if not event.HasField("user_metadata") or not event.user_metadata.HasField("summary"):
                    continue
                (summary,) = await converter.decode([event.user_metadata.summary], [str])
                node = _node_of(str(summary), node_names)
                if node is not None:
                    scheduled[event.event_id] = node
                    tallies.setdefault(node, _Tally())
            elif event.HasField("activity_task_completed_event_attributes"):
                done = event.activity_task_completed_event_attributes
                node = scheduled.get(done.scheduled_event_id)
                if node is None or not done.result.payloads:
                    continue
                (result,) = await converter.decode(list(done.result.payloads), [dict])
                _count(tallies[node], result)
    return {
        node: AiInfo(
            agent=t.agent,
            host=_host(cluster, t.agent),
            model=t.model,
            tokens=t.tokens,
            tokens_per_s=sum(t.rates) / len(t.rates) if t.rates else None,
            calls=t.calls,
        )
        for node, t in tallies.items()
    }


def _count(tally: _Tally, result: Any) -> None:
    if not isinstance(result, dict):
        return
    tally.calls += 1
    tally.agent = result.get("agent_id") or tally.agent
    tally.model = result.get("model") or tally.model
    tally.tokens += int(result.get("eval_count") or 0)
    rate = result.get("tokens_per_second")
    if isinstance(rate, int | float) and rate > 0:
        tally.rates.append(float(rate))


__all__ = ["ai_calls"]
