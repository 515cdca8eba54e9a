"""Projects and tasks through the API, a real Temporal dev server and three fake agents."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from typer.testing import CliRunner

from api.app import create_app
from hive_core.cli.app import app
from tests.live.server import serve
from tests.projects.conftest import Team

pytestmark = pytest.mark.temporal


async def _until_done(team: Team, path: str, timeout_s: float = 60) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        body = (await team.http.get(path, headers=team.auth)).json()
        if body["status"] in ("completed", "failed"):
            return body
        assert asyncio.get_running_loop().time() < deadline, f"{path} still {body['status']}: {body}"
        await asyncio.sleep(0.2)


FIVE_TASKS = [
    {"key": "plan", "title": "Plan the app", "capability": "planning"},
    {"key": "ui", "title": "Build the UI", "capability": "frontend", "depends_on": ["plan"]},
    {"key": "api", "title": "Build the API", "capability": "backend", "depends_on": ["plan"]},
    {"key": "db", "title": "Design the schema", "capability": "backend", "depends_on": ["plan"]},
    {"key": "ship", "title": "Integrate", "agent": "alpha", "depends_on": ["ui", "api", "db"]},
]


async def test_five_tasks_two_dependency_levels_over_three_agents(team: Team) -> None:
    for agent in ("alpha", "beta", "gamma"):
        team.reply_with(
            agent, lambda prompt, agent=agent: f"{agent} did it:\n```python\nprint('{agent}')\n```"
        )
    created = await team.http.post(
        "/api/projects", json={"name": "shop", "goal": "a web shop", "tasks": FIVE_TASKS}, headers=team.auth
    )
    assert created.status_code == 201, created.text
    project = await _until_done(team, f"/api/projects/{created.json()['id']}")
    assert project["status"] == "completed" and project["progress"] == "5/5"
    tasks = {t["title"]: t for t in project["tasks"]}
    assert tasks["Build the UI"]["result"].startswith("beta did it")
    assert tasks["Build the API"]["artifacts"] == [
        {"name": "block-1.python", "language": "python", "content": "print('gamma')\n"}
    ]
    # The last task saw all three results it depends on; the first level saw the plan.
    last_prompt = team.prompts["alpha"][-1]
    assert all(title in last_prompt for title in ("Build the UI", "Build the API", "Design the schema"))
    assert "alpha did it" in team.prompts["beta"][0]
    assert tasks["Integrate"]["depends_on"] and tasks["Integrate"]["workflow_id"].startswith("hive-task-")


async def test_priority_decides_who_goes_first_when_slots_are_short(team: Team) -> None:
    team.reply_with("beta", lambda prompt: "done", first_token_latency=0.3)
    # beta has two slots: of four ready frontend tasks, the two of highest priority start first.
    tasks = [
        {"title": f"p{priority}", "capability": "frontend", "priority": priority} for priority in (1, 7, 3, 9)
    ]
    created = await team.http.post("/api/projects", json={"name": "prio", "tasks": tasks}, headers=team.auth)
    project = await _until_done(team, f"/api/projects/{created.json()['id']}")
    assert project["status"] == "completed"
    order = [next(t for t in ("p1", "p7", "p3", "p9") if f"Task: {t}" in p) for p in team.prompts["beta"]]
    assert set(order[:2]) == {"p9", "p7"} and set(order[2:]) == {"p3", "p1"}


async def test_a_failed_task_cancels_what_depends_on_it_and_fails_the_project(team: Team) -> None:
    from stand_ins.ollama.server import FakeOllamaConfig, Faults

    team.hosts["gamma"].reset(FakeOllamaConfig(models=["llama3.2:latest"], faults=Faults(status=500)))
    created = await team.http.post(
        "/api/projects", json={"name": "broken", "tasks": FIVE_TASKS}, headers=team.auth
    )
    project = await _until_done(team, f"/api/projects/{created.json()['id']}", timeout_s=90)
    assert project["status"] == "failed"
    status = {t["title"]: t["status"] for t in project["tasks"]}
    assert status["Plan the app"] == "completed" and status["Build the UI"] == "completed"
    assert status["Build the API"] == "failed" and status["Design the schema"] == "failed"
    # Never started: the integration task depends on the failed ones.
    assert status["Integrate"] == "pending"
    api = next(t for t in project["tasks"] if t["title"] == "Build the API")
    assert "llama runner process has terminated" in api["error"]


async def test_a_standalone_task_waits_for_its_dependency(team: Team) -> None:
    team.reply_with("alpha", lambda prompt: "first result", first_token_latency=0.5)
    team.reply_with("beta", lambda prompt: "second result")
    first = (
        await team.http.post("/api/tasks", json={"title": "First", "agent": "alpha"}, headers=team.auth)
    ).json()
    second = await team.http.post(
        "/api/tasks",
        json={"title": "Second", "capability": "frontend", "depends_on": [first["id"]]},
        headers=team.auth,
    )
    assert second.status_code == 201, second.text
    assert second.json()["depends_on"] == [first["id"]]
    done = await _until_done(team, f"/api/tasks/{second.json()['id']}")
    assert done["status"] == "completed"
    assert "first result" in team.prompts["beta"][-1]
    assert (await team.http.get(f"/api/tasks/{first['id']}", headers=team.auth)).json()[
        "status"
    ] == "completed"


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        (
            {
                "name": "c",
                "tasks": [
                    {"key": "a", "title": "A", "depends_on": ["b"]},
                    {"key": "b", "title": "B", "depends_on": ["a"]},
                ],
            },
            422,
            "cycle: ",
        ),
        ({"name": "t", "template": "nope"}, 404, "no project template 'nope'"),
        ({"name": "u", "tasks": [{"title": "A", "agent": "omega"}]}, 422, "agent 'omega'"),
        ({"name": "k", "tasks": [{"title": "A", "capability": "cooking"}]}, 422, "capability 'cooking'"),
        ({"name": "d", "tasks": [{"title": "A", "depends_on": ["ghost"]}]}, 404, "unknown task 'ghost'"),
        ({"name": "e"}, 422, "either `template`"),
    ],
)
async def test_bad_projects_are_refused_and_nothing_is_stored(
    team: Team, body: dict[str, Any], status: int, text: str
) -> None:
    answer = await team.http.post("/api/projects", json=body, headers=team.auth)
    assert answer.status_code == status, answer.text
    assert text in answer.json()["error"]["message"]
    assert (await team.http.get("/api/projects", headers=team.auth)).json() == []


async def test_bad_tasks_and_unknown_ids(team: Team) -> None:
    answer = await team.http.post(
        "/api/tasks", json={"title": "X", "depends_on": ["ghost"]}, headers=team.auth
    )
    assert answer.status_code == 404 and "unknown task 'ghost'" in answer.json()["error"]["message"]
    assert (await team.http.get("/api/tasks/ghost", headers=team.auth)).status_code == 404
    assert (await team.http.get("/api/projects/ghost", headers=team.auth)).status_code == 404
    assert (await team.http.get("/api/tasks", headers=team.auth)).json() == []
    assert (await team.http.post("/api/tasks", json={"title": "X"})).status_code == 401


async def test_hive_projects_cli_creates_a_template_project_and_follows_it(team: Team) -> None:
    for agent in ("alpha", "beta", "gamma"):
        team.reply_with(agent, lambda prompt, agent=agent: f"{agent} did it")
    with serve(create_app(team.settings, team.cluster)) as url:
        common = ["--api", url, "--api-key", team.key]
        result = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            [
                "projects",
                "create",
                "--name",
                "cli",
                "--template",
                "trio",
                "--goal",
                "a blog",
                "--wait",
                *common,
            ],
        )
        assert result.exit_code == 0, result.output
        assert "completed  3/3" in result.output
        # planning went to alpha (its capability), frontend to beta, backend to gamma.
        assert "frontend" in team.prompts["beta"][0] and "backend" in team.prompts["gamma"][0]
        listed = await asyncio.to_thread(CliRunner().invoke, app, ["projects", "list", *common])
        assert "completed" in listed.output and "cli" in listed.output
        refused = await asyncio.to_thread(
            CliRunner().invoke, app, ["projects", "create", "--name", "x", "--template", "nope", *common]
        )
        assert refused.exit_code == 2 and "no project template 'nope'" in refused.output
