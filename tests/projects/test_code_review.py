"""The code review workflow: author + reviewers in parallel, quorum, rounds, human gate, failures."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from stand_ins.ollama.server import FakeOllamaConfig, Faults
from tests.builders import chain, node, run_workflow
from tests.projects.conftest import MODEL, Team

pytestmark = pytest.mark.temporal

APPROVE = json.dumps({"verdict": "approve", "comments": []})


def _changes(*comments: str) -> str:
    return json.dumps({"verdict": "request_changes", "comments": list(comments)})


def _author(prompt: str) -> str:
    # Round 1 writes v1; a revision (the prompt carries the comments) writes v2.
    version = "v2" if "Reviewers asked for changes" in prompt else "v1"
    return f"Here it is:\n```python\ndef add(a, b):  # {version}\n    return a + b\n```"


async def _review(team: Team, body: dict[str, Any], timeout_s: float = 60) -> dict[str, Any]:
    created = await team.http.post("/api/reviews", json=body, headers=team.auth)
    assert created.status_code == 201, created.text
    review_id = created.json()["id"]
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        view = (await team.http.get(f"/api/reviews/{review_id}", headers=team.auth)).json()
        if view["status"] != "running":
            return view
        assert asyncio.get_running_loop().time() < deadline, view
        await asyncio.sleep(0.2)


def _reviewer(prompt: str, *, strict: bool) -> str:
    if strict and "# v1" in prompt:
        return _changes("handle non-numbers", "add a docstring")
    return APPROVE


async def test_changes_requested_then_approved_in_round_two(team: Team) -> None:
    team.reply_with("alpha", _author)
    team.reply_with("beta", lambda p: _reviewer(p, strict=True))
    team.reply_with("gamma", lambda p: _reviewer(p, strict=True))
    view = await _review(
        team,
        {
            "task": "write add(a, b)",
            "author": {"agent": "alpha"},
            "reviewers": [{"agent": "beta"}, {"agent": "gamma"}],
        },
    )
    result = view["result"]
    assert view["status"] == "completed" and result["approved"] and result["outcome"] == "approved"
    assert [r["approvals"] for r in result["rounds"]] == [0, 2]
    assert "# v2" in result["code"]
    # The author's revision prompt carried the reviewers' comments.
    assert "handle non-numbers" in team.prompts["alpha"][1]


async def test_majority_quorum_approves_over_one_dissent(team: Team) -> None:
    team.reply_with("alpha", _author)
    team.reply_with("beta", lambda p: APPROVE)
    team.reply_with("gamma", lambda p: _changes("rename it"))
    view = await _review(
        team,
        {
            "task": "write add(a, b)",
            "author": {"agent": "alpha"},
            "options": {"reviewers": 3, "quorum": "majority"},
            "reviewers": [{"agent": "beta"}, {"agent": "gamma"}, {"agent": "alpha"}],
        },
    )
    # alpha reviews too (answers as the author does: not a verdict → counted as failed, not approving).
    rounds = view["result"]["rounds"]
    assert view["result"]["approved"] is False and view["result"]["outcome"] == "changes_requested"
    assert len(rounds) == 3 and all(r["approvals"] == 1 and r["required"] == 2 for r in rounds)
    alpha_verdict = rounds[0]["verdicts"][2]
    assert alpha_verdict["verdict"] is None and "not a verdict" in alpha_verdict["error"]


async def test_every_reviewer_failing_fails_the_review_and_approves_nothing(team: Team) -> None:
    team.reply_with("alpha", _author)
    for agent in ("beta", "gamma"):
        team.hosts[agent].reset(FakeOllamaConfig(models=[MODEL], faults=Faults(status=500)))
    view = await _review(
        team,
        {
            "task": "write add(a, b)",
            "author": {"agent": "alpha"},
            "reviewers": [{"agent": "beta"}, {"agent": "gamma"}],
        },
        timeout_s=90,
    )
    assert view["status"] == "failed"
    assert "every reviewer failed, nothing was approved" in view["error"]
    assert view["result"]["approved"] is False and view["result"]["outcome"] == "reviewers_failed"
    assert all("answered 500" in v["error"] for v in view["rounds"][0]["verdicts"])


async def test_human_gate_after_the_quorum(team: Team) -> None:
    team.reply_with("alpha", _author)
    team.reply_with("beta", lambda p: APPROVE)
    created = await team.http.post(
        "/api/reviews",
        json={
            "task": "write add(a, b)",
            "author": {"agent": "alpha"},
            "reviewers": [{"agent": "beta"}],
            "options": {"human_approval": True},
        },
        headers=team.auth,
    )
    review_id = created.json()["id"]
    # The gate is the approvals feature's: an approver decides it like any gated run.
    for _ in range(100):
        decided = await team.http.post(
            f"/api/executions/{review_id}/approve", json={"comment": "ship it"}, headers=team.approver_auth
        )
        if decided.status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert decided.status_code == 200, decided.text
    for _ in range(100):
        view = (await team.http.get(f"/api/reviews/{review_id}", headers=team.auth)).json()
        if view["status"] != "running":
            break
        await asyncio.sleep(0.2)
    assert view["result"]["approved"] and view["result"]["approval"]["comment"] == "ship it"


async def test_a_reviewed_project_stage(team: Team) -> None:
    team.reply_with("alpha", _author)
    team.reply_with("beta", lambda p: APPROVE)
    team.reply_with("gamma", lambda p: APPROVE)
    tasks = [
        {"key": "plan", "title": "Plan", "agent": "beta"},
        {
            "key": "code",
            "title": "Code it",
            "agent": "alpha",
            "depends_on": ["plan"],
            "review": {"reviewers": 2},
        },
    ]
    created = await team.http.post(
        "/api/projects", json={"name": "reviewed", "tasks": tasks}, headers=team.auth
    )
    assert created.status_code == 201, created.text
    for _ in range(300):
        project = (await team.http.get(f"/api/projects/{created.json()['id']}", headers=team.auth)).json()
        if project["status"] in ("completed", "failed"):
            break
        await asyncio.sleep(0.2)
    code = next(t for t in project["tasks"] if t["title"] == "Code it")
    assert project["status"] == "completed", project
    assert code["review_result"]["approved"] and "def add" in code["artifacts"][0]["content"]
    # Reviewers sat on the other hosts.
    assert {v["reviewer"] for v in code["review_result"]["rounds"][0]["verdicts"]} == {
        "reviewer 1 (beta)",
        "reviewer 2 (gamma)",
    }


def _caller(items: list[dict[str, Any]]) -> dict[str, Any]:
    code = f"return {json.dumps([{'json': item} for item in items])};"
    return chain(
        "calls the review",
        [
            node("Start", "manualTrigger", 1),
            node("Ask", "code", 2, x=200, jsCode=code),
            node(
                "Review",
                "executeWorkflow",
                1.2,
                x=400,
                workflowId={"__rl": True, "value": "hive:code-review", "mode": "id"},
            ),
        ],
    )


async def test_an_n8n_workflow_calls_the_review_through_execute_workflow(team: Team) -> None:
    team.reply_with("alpha", _author)
    team.reply_with("beta", lambda p: APPROVE)
    team.reply_with("gamma", lambda p: APPROVE)
    item = {"task": "write add(a, b)", "author": "alpha", "reviewers": ["beta", "gamma"], "quorum": "all"}
    snapshot = await run_workflow(team.client, team.task_queue, _caller([item]))
    assert snapshot.status.value == "success", snapshot.error
    (out,) = snapshot.run_data["Review"][0]["data"]["main"][0]
    assert out["json"]["approved"] is True and out["json"]["rounds"][0]["required"] == 2


async def test_an_unknown_reviewer_is_the_nodes_error(team: Team) -> None:
    snapshot = await run_workflow(
        team.client, team.task_queue, _caller([{"task": "x", "author": "alpha", "reviewers": ["omega"]}])
    )
    assert snapshot.status.value == "error"
    assert "agent 'omega'" in snapshot.error["message"] and snapshot.last_node_executed == "Review"
