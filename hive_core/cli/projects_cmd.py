"""`hive projects create|list|show` and `hive tasks create|show`: the API's tasks and projects."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from hive_core.cli.common import one_line_errors, out

app = typer.Typer(
    help="Projects: tasks built from hive.yaml templates, run on the agents.", no_args_is_help=True
)
tasks_app = typer.Typer(help="Agent tasks with priorities and dependencies.", no_args_is_help=True)

ApiOption = typer.Option("http://127.0.0.1:8000", "--api", envvar="HIVE_API_URL", help="The Hive API")
KeyOption = typer.Option(None, "--api-key", envvar="HIVE_API_KEY", help="An operator's API key")


def _call(method: str, api: str, key: str | None, path: str, body: Any = None) -> Any:
    import httpx

    from hive_core.errors import EngineUnavailableError, HiveError, UserError

    headers = {"X-API-Key": key} if key else {}
    try:
        response = httpx.request(method, f"{api.rstrip('/')}{path}", json=body, headers=headers, timeout=30)
    except httpx.HTTPError as exc:
        raise EngineUnavailableError(f"cannot reach the Hive API at {api}: {exc}") from None
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:300]
        error = UserError if response.status_code < 500 else HiveError
        raise error(f"{response.status_code}: {message}")
    return response.json()


def _print_project(project: dict[str, Any]) -> None:
    out.print(
        f"{project['name']}  {project['status']}  {project['progress']}  ({project['id']})", markup=False
    )
    for task in project["tasks"]:
        where = task["agent"] or task["capability"] or task["model"]
        line = f"  {task['status']:<10} {task['title']}  [{where}]"
        if task["error"]:
            line += f"  error: {task['error']}"
        out.print(line, markup=False, highlight=False)


@app.command("create")
@one_line_errors
def create(
    name: str = typer.Option(..., "--name", help="A unique project name"),
    template: str | None = typer.Option(None, "--template", help="A workflows.templates entry of hive.yaml"),
    tasks: Path | None = typer.Option(
        None, "--tasks", help="JSON file: a list of tasks instead of a template"
    ),
    goal: str = typer.Option("", "--goal", help="What the project is for (given to every task)"),
    wait: bool = typer.Option(False, "--wait", help="Follow the run until it ends"),
    api: str = ApiOption,
    api_key: str | None = KeyOption,
) -> None:
    """Create a project (from a template or a task list) and start its durable run."""
    body: dict[str, Any] = {"name": name, "goal": goal, "template": template}
    if tasks is not None:
        body["tasks"] = json.loads(tasks.read_text(encoding="utf-8"))
    project = _call("POST", api, api_key, "/api/projects", body)
    _print_project(project)
    if wait:
        _follow(api, api_key, project["id"])


def _follow(api: str, key: str | None, project_id: str) -> None:
    last = ""
    while True:
        project = _call("GET", api, key, f"/api/projects/{project_id}")
        if project["progress"] != last:
            last = project["progress"]
            _print_project(project)
        if project["status"] in ("completed", "failed"):
            if project["status"] == "failed":
                raise typer.Exit(1)
            return
        time.sleep(1)


@app.command("list")
@one_line_errors
def list_(api: str = ApiOption, api_key: str | None = KeyOption) -> None:
    """Projects, newest first."""
    for project in _call("GET", api, api_key, "/api/projects"):
        out.print(
            f"{project['id']}  {project['status']:<10} {project['name']}", markup=False, highlight=False
        )


@app.command("show")
@one_line_errors
def show(
    project_id: str = typer.Argument(...),
    watch: bool = typer.Option(False, "--watch", help="Follow until it ends"),
    api: str = ApiOption,
    api_key: str | None = KeyOption,
) -> None:
    """A project's tasks: status, where each runs, errors."""
    if watch:
        _follow(api, api_key, project_id)
    else:
        _print_project(_call("GET", api, api_key, f"/api/projects/{project_id}"))


@tasks_app.command("create")
@one_line_errors
def create_task(
    title: str = typer.Option(..., "--title"),
    description: str = typer.Option("", "--description"),
    priority: int = typer.Option(0, "--priority"),
    agent: str | None = typer.Option(None, "--agent"),
    capability: str | None = typer.Option(None, "--capability"),
    depends_on: list[str] = typer.Option([], "--depends-on", help="A task id (repeatable)"),
    api: str = ApiOption,
    api_key: str | None = KeyOption,
) -> None:
    """Create a standalone task; it runs once the tasks it depends on completed."""
    body = {
        "title": title,
        "description": description,
        "priority": priority,
        "agent": agent,
        "capability": capability,
        "depends_on": depends_on,
    }
    task = _call("POST", api, api_key, "/api/tasks", body)
    out.print(f"{task['id']}  {task['status']}", markup=False, highlight=False)


@tasks_app.command("show")
@one_line_errors
def show_task(
    task_id: str = typer.Argument(...), api: str = ApiOption, api_key: str | None = KeyOption
) -> None:
    """A task's status, answer and artifacts (as JSON)."""
    out.print_json(json.dumps(_call("GET", api, api_key, f"/api/tasks/{task_id}")))
