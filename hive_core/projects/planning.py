"""From a request to routed tasks: template stages or explicit tasks, in dependency order.

Pure functions over the cluster description (no I/O): the API plans, the project workflow only
runs what was planned. Every refusal is a ``ValidationError`` (422) naming the task or stage.
"""

from __future__ import annotations

import graphlib
from collections.abc import Collection, Sequence
from typing import Annotated

from pydantic import BaseModel, Field

from hive_core.config import AgentConfig, ClusterConfig, StageConfig, normalize_model_name
from hive_core.errors import NotFoundError, ValidationError
from hive_core.projects.models import Participant, PlannedTask, ReviewOptions, Route


class TaskSpec(BaseModel):
    """One task as a user asks for it (``POST /api/tasks``, or one of a project's tasks)."""

    # A handle other tasks of the same request use in ``depends_on``; default: the title.
    key: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    title: Annotated[str, Field(min_length=1, max_length=255)]
    description: Annotated[str, Field(max_length=100_000)] = ""
    priority: Annotated[int, Field(ge=-1000, le=1000)] = 0
    agent: str | None = None
    capability: str | None = None
    model: str | None = None
    # Keys of tasks in the same request, or ids of existing tasks (standalone tasks).
    depends_on: Annotated[list[str], Field(max_length=100)] = []
    review: ReviewOptions | None = None

    def handle(self) -> str:
        return self.key or self.title


def dependency_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle of ``edges`` (node → what it depends on) as ``[a, b, ..., a]``, or None."""
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        return [str(node) for node in exc.args[1]]
    return None


def _enabled(cluster: ClusterConfig) -> list[AgentConfig]:
    return [agent for agent in cluster.agents.values() if agent.enabled]


def route_for(
    cluster: ClusterConfig,
    *,
    agent: str | None = None,
    capability: str | None = None,
    model: str | None = None,
    where: str,
) -> tuple[Route, str]:
    """The route and model of a task that names an agent, a capability or a model."""
    agents = _enabled(cluster)
    wanted = normalize_model_name(model) if model else None
    if agent is not None:
        config = next((a for a in agents if a.id == agent), None)
        if config is None:
            raise ValidationError(
                f"{where} names agent {agent!r}, which is not an enabled agent; "
                f"known: {sorted(a.id for a in agents)}"
            )
        if wanted is not None and wanted not in config.models:
            raise ValidationError(
                f"{where}: agent {agent!r} does not serve model {wanted!r} ({config.models})"
            )
        return Route(agent=agent), wanted or config.models[0]
    if capability is not None:
        able = [a for a in agents if capability.lower() in (c.lower() for c in a.capabilities)]
        if not able:
            offered = sorted({c for a in agents for c in a.capabilities})
            raise ValidationError(
                f"{where} needs capability {capability!r}, which no agent offers; known: {offered}"
            )
        serving = [a for a in able if wanted is None or wanted in a.models]
        if not serving:
            raise ValidationError(f"{where}: no agent with capability {capability!r} serves model {wanted!r}")
        return Route(capability=capability.lower()), wanted or serving[0].models[0]
    if wanted is not None:
        if not any(wanted in a.models for a in agents):
            raise ValidationError(f"{where} names model {wanted!r}, which no enabled agent serves")
        return Route(), wanted
    if not agents:
        raise ValidationError(f"{where}: the cluster has no enabled agent to run it")
    return Route(agent=agents[0].id), agents[0].models[0]


def plan_tasks(
    cluster: ClusterConfig, specs: Sequence[TaskSpec], ids: Sequence[str], existing: Collection[str] = ()
) -> list[PlannedTask]:
    """Route ``specs`` (given ``ids``) and resolve their dependencies; refuses cycles.

    A dependency names a task of the same request by its key (or title), or an ``existing`` id.
    """
    by_handle = {}
    for spec, task_id in zip(specs, ids, strict=True):
        if spec.handle() in by_handle:
            raise ValidationError(f"two tasks are both called {spec.handle()!r}; give them distinct keys")
        by_handle[spec.handle()] = task_id
    planned: list[PlannedTask] = []
    for spec, task_id in zip(specs, ids, strict=True):
        where = f"task {spec.handle()!r}"
        depends_on = []
        for dep in spec.depends_on:
            if dep in by_handle:
                depends_on.append(by_handle[dep])
            elif dep in existing:
                depends_on.append(dep)
            else:
                raise NotFoundError(
                    f"{where} depends on unknown task {dep!r}", task=spec.handle(), dependency=dep
                )
        route, model = route_for(
            cluster, agent=spec.agent, capability=spec.capability, model=spec.model, where=where
        )
        task = PlannedTask(
            id=task_id,
            title=spec.title,
            description=spec.description,
            priority=spec.priority,
            route=route,
            model=model,
            depends_on=depends_on,
            review=spec.review,
        )
        planned.append(_with_reviewers(cluster, task))
    names = {task_id: spec.handle() for spec, task_id in zip(specs, ids, strict=True)}
    cycle = dependency_cycle({task.id: [d for d in task.depends_on if d in names] for task in planned})
    if cycle:
        path = " → ".join(names[node] for node in cycle)
        raise ValidationError(
            f"tasks depend on each other in a cycle: {path}", cycle=[names[n] for n in cycle]
        )
    return planned


def _stage_route(cluster: ClusterConfig, template_agents: list[str], stage: StageConfig, turn: int) -> Route:
    if stage.agent or stage.capability:
        return Route(agent=stage.agent, capability=stage.capability)
    agents = [cluster.agents[a] for a in template_agents if a in cluster.agents and cluster.agents[a].enabled]
    name = stage.name.lower()
    if any(name in (c.lower() for c in a.capabilities) for a in agents):
        return Route(capability=name)  # every agent with it may take it: failover for free
    matching = [a for a in agents if (a.specialization or "").lower() == name]
    if matching:
        return Route(agent=matching[0].id)
    if agents:
        return Route(agent=agents[turn % len(agents)].id)
    return Route()


def template_specs(cluster: ClusterConfig, template: str, goal: str) -> list[TaskSpec]:
    """One task per stage of ``workflows.templates.<template>``, routed to the template's agents."""
    config = cluster.workflows.templates.get(template)
    if config is None:
        raise NotFoundError(
            f"no project template {template!r}; known: {sorted(cluster.workflows.templates)}",
            template=template,
        )
    specs = []
    for turn, stage in enumerate(config.stage_configs()):
        route = _stage_route(cluster, config.agents, stage, turn)
        instructions = stage.instructions or f"Do the {stage.name} stage of this project."
        specs.append(
            TaskSpec(
                key=stage.name,
                title=stage.name,
                description=f"{instructions}\n\nProject goal: {goal}",
                priority=stage.priority,
                agent=route.agent,
                capability=route.capability,
                depends_on=stage.depends_on or [],
                review=ReviewOptions() if stage.review else None,
            )
        )
    return specs


def choose_reviewers(cluster: ClusterConfig, author: Participant, count: int) -> list[Participant]:
    """``count`` reviewer seats, on other agents and models than the author's where there are any."""
    agents = _enabled(cluster)
    if not agents:
        raise ValidationError("a review needs at least one enabled agent")

    def distance(agent: AgentConfig) -> tuple[int, int]:
        # Other host first, then another model: independent eyes catch more.
        return (agent.id == author.route.agent, author.model in agent.models)

    ranked = sorted(agents, key=distance)
    seats = []
    for index in range(count):
        agent = ranked[index % len(ranked)]
        seats.append(
            Participant(
                label=f"reviewer {index + 1} ({agent.id})", route=Route(agent=agent.id), model=agent.models[0]
            )
        )
    return seats


def _with_reviewers(cluster: ClusterConfig, task: PlannedTask) -> PlannedTask:
    if task.review is None:
        return task
    author = Participant(label="author", route=task.route, model=task.model)
    return task.model_copy(update={"reviewers": choose_reviewers(cluster, author, task.review.reviewers)})


def slot_limits(cluster: ClusterConfig, tasks: Sequence[PlannedTask]) -> dict[str, int]:
    """Tasks in flight at once per route, from the agents' ``max_concurrent``."""
    agents = _enabled(cluster)
    limits: dict[str, int] = {}
    for task in tasks:
        key = task.route.key(task.model)
        if task.route.agent:
            able = [a for a in agents if a.id == task.route.agent]
        elif task.route.capability:
            able = [a for a in agents if task.route.capability in (c.lower() for c in a.capabilities)]
        else:
            able = [a for a in agents if task.model in a.models]
        limits[key] = max(1, sum(a.max_concurrent for a in able))
    return limits


__all__ = [
    "TaskSpec",
    "choose_reviewers",
    "dependency_cycle",
    "plan_tasks",
    "route_for",
    "slot_limits",
    "template_specs",
]
