"""The planner: templates into routed tasks, dependencies by key, cycles and unknown names refused."""

from __future__ import annotations

import pytest

from hive_core.config import load_cluster_config, parse_cluster_config
from hive_core.errors import ConfigError, NotFoundError, ValidationError
from hive_core.projects import Route, TaskSpec, plan_tasks, slot_limits, template_specs
from hive_core.projects.models import Participant
from hive_core.projects.planning import choose_reviewers
from workflows.code_review import required_approvals

CLUSTER = parse_cluster_config(
    {
        "agents": {
            "alpha": {"endpoint": "http://a:11434", "models": ["m1"], "capabilities": ["planning"]},
            "beta": {
                "endpoint": "http://b:11434",
                "models": ["m2"],
                "capabilities": ["frontend"],
                "max_concurrent": 3,
            },
            "gamma": {"endpoint": "http://c:11434", "models": ["m1"], "capabilities": ["frontend"]},
        }
    }
)


def _ids(n: int) -> list[str]:
    return [f"t{i}" for i in range(n)]


def test_dependencies_by_key_and_routes() -> None:
    specs = [
        TaskSpec(key="plan", title="Plan", capability="planning"),
        TaskSpec(key="ui", title="UI", capability="frontend", depends_on=["plan"]),
        TaskSpec(title="API", agent="gamma", depends_on=["plan"], priority=5),
    ]
    planned = plan_tasks(CLUSTER, specs, _ids(3))
    assert [t.depends_on for t in planned] == [[], ["t0"], ["t0"]]
    assert planned[1].route == Route(capability="frontend") and planned[1].model == "m2:latest"
    assert planned[2].route == Route(agent="gamma") and planned[2].model == "m1:latest"
    # Slots follow max_concurrent: frontend is beta (3) + gamma (2).
    assert slot_limits(CLUSTER, planned) == {
        "capability:planning": 2,
        "capability:frontend": 5,
        "agent:gamma": 2,
    }


def test_a_cycle_is_refused_and_named() -> None:
    specs = [
        TaskSpec(key="a", title="A", depends_on=["c"]),
        TaskSpec(key="b", title="B", depends_on=["a"]),
        TaskSpec(key="c", title="C", depends_on=["b"]),
        TaskSpec(key="d", title="D"),
    ]
    with pytest.raises(ValidationError, match=r"cycle: (a|b|c) → .* → \1") as caught:
        plan_tasks(CLUSTER, specs, _ids(4))
    assert set(caught.value.details["cycle"]) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("spec", "error", "text"),
    [
        (TaskSpec(title="X", depends_on=["nope"]), NotFoundError, "depends on unknown task 'nope'"),
        (TaskSpec(title="X", agent="omega"), ValidationError, "agent 'omega', which is not an enabled agent"),
        (
            TaskSpec(title="X", capability="cooking"),
            ValidationError,
            "capability 'cooking', which no agent offers",
        ),
        (TaskSpec(title="X", agent="alpha", model="m2"), ValidationError, "does not serve model 'm2:latest'"),
        (
            TaskSpec(title="X", model="m9"),
            ValidationError,
            "model 'm9:latest', which no enabled agent serves",
        ),
    ],
)
def test_bad_task_names(spec: TaskSpec, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        plan_tasks(CLUSTER, [spec], _ids(1))


def test_an_existing_task_may_be_a_dependency() -> None:
    (task,) = plan_tasks(CLUSTER, [TaskSpec(title="X", depends_on=["old-id"])], ["new"], existing={"old-id"})
    assert task.depends_on == ["old-id"]


def test_shipped_web_development_template_runs_frontend_and_backend_in_parallel() -> None:
    cluster = load_cluster_config("config/hive.yaml")
    specs = template_specs(cluster, "web_development", "a todo app")
    assert [(s.key, s.depends_on) for s in specs] == [
        ("planning", []),
        ("frontend", ["planning"]),
        ("backend", ["planning"]),
        ("integration", ["frontend", "backend"]),
        ("testing", ["integration"]),
    ]
    assert specs[1].capability == "frontend"  # walnut's capability: any agent with it may take it
    assert specs[4].review is not None
    planned = plan_tasks(cluster, specs, _ids(5))
    assert len(planned[4].reviewers) == 2
    assert all("a todo app" in t.description for t in planned)


def test_unknown_template() -> None:
    with pytest.raises(NotFoundError, match="no project template 'nope'"):
        template_specs(CLUSTER, "nope", "goal")


@pytest.mark.parametrize(
    ("stages", "text"),
    [
        ([{"name": "a", "agent": "omega"}], "stages.a.agent 'omega' is not an agent"),
        ([{"name": "a", "capability": "cooking"}], "stages.a.capability 'cooking' is offered by no agent"),
        ([{"name": "a", "depends_on": ["b"]}, {"name": "b", "depends_on": ["a"]}], "in a cycle: "),
        ([{"name": "a", "depends_on": ["zzz"]}], "depends_on names unknown stage"),
        (["a", "a"], "names a stage twice"),
    ],
)
def test_bad_templates_are_config_errors(stages: list[object], text: str) -> None:
    raw = {
        "agents": {"alpha": {"endpoint": "http://a:1", "models": ["m"]}},
        "workflows": {"templates": {"t": {"agents": ["alpha"], "stages": stages}}},
    }
    with pytest.raises((ConfigError, ValueError), match=text):
        parse_cluster_config(raw)


def test_reviewers_sit_on_other_hosts_and_models_first() -> None:
    author = Participant(label="author", route=Route(agent="alpha"), model="m1:latest")
    seats = choose_reviewers(CLUSTER, author, 3)
    assert [s.route.agent for s in seats] == ["beta", "gamma", "alpha"]


@pytest.mark.parametrize(
    ("quorum", "n", "needed"), [("majority", 3, 2), ("majority", 2, 2), ("all", 3, 3), (1, 3, 1), (5, 3, 3)]
)
def test_quorum(quorum: object, n: int, needed: int) -> None:
    assert required_approvals(quorum, n) == needed  # type: ignore[arg-type]
