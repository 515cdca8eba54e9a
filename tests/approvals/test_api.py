"""The approvals API: list pending gates, approve, reject — per role, with audit rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from temporalio.client import Client

from hive_core.db.models import AuditLog, UserRole
from hive_core.workflow_store import import_workflows
from tests.approvals.conftest import Stack
from tests.approvals.gated import ON, gated_workflow, pending_gate, start
from tests.builders import chain, node
from tests.helpers import assert_eventually
from workflows.n8n_models import ExecutionStatus


async def _listed(stack: Stack, execution_id: str, role: UserRole = UserRole.VIEWER) -> dict[str, Any]:
    async def check() -> dict[str, Any]:
        response = await stack.http.get("/api/approvals", headers=stack.auth(role))
        assert response.status_code == 200, response.text
        mine = [entry for entry in response.json() if entry["execution_id"] == execution_id]
        assert len(mine) == 1, response.json()
        entry: dict[str, Any] = mine[0]
        return entry

    return await assert_eventually(check, timeout_s=15)


async def _audit(stack: Stack, execution_id: str) -> list[AuditLog]:
    async with stack.sessions() as session:
        rows = await session.scalars(select(AuditLog).where(AuditLog.resource_id == execution_id))
        return list(rows)


async def test_approver_approves_a_listed_gate(stack: Stack, client: Client, task_queue: str) -> None:
    handle = await start(client, task_queue, gated_workflow(), ON)
    entry = await _listed(stack, handle.id)
    assert (entry["workflow"], entry["gate_id"], entry["node"]) == ("gated", "node:Send", "Send")
    assert entry["deadline"] > entry["requested_at"]

    response = await stack.http.post(
        f"/api/executions/{handle.id}/approve",
        json={"comment": "looks right"},
        headers=stack.auth(UserRole.APPROVER),
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "approved"
    assert response.json()["decided_by"] == "key:approver"
    result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    [row] = await _audit(stack, handle.id)
    assert (row.actor, row.action, row.resource_type) == ("key:approver", "approve", "execution")
    assert row.details == {"gate_id": "node:Send", "node": "Send", "comment": "looks right"}


async def test_admin_rejects_and_the_run_fails_naming_them(
    stack: Stack, client: Client, task_queue: str
) -> None:
    handle = await start(client, task_queue, gated_workflow(), ON)
    await pending_gate(handle)
    response = await stack.http.post(
        f"/api/executions/{handle.id}/reject",
        json={"gate_id": "node:Send", "comment": "wrong recipient"},
        headers=stack.auth(UserRole.ADMIN),
    )
    assert response.status_code == 200, response.text
    result = await handle.result()
    assert result.status is ExecutionStatus.ERROR
    assert result.error is not None
    assert result.error["message"] == 'Approval for node "Send" rejected by key:admin: wrong recipient'
    [row] = await _audit(stack, handle.id)
    assert (row.actor, row.action) == ("key:admin", "reject")


async def test_roles_without_the_permission_are_denied(stack: Stack, client: Client, task_queue: str) -> None:
    handle = await start(client, task_queue, gated_workflow(), ON)
    await pending_gate(handle)
    for role in (UserRole.OPERATOR, UserRole.VIEWER):
        for action in ("approve", "reject"):
            response = await stack.http.post(
                f"/api/executions/{handle.id}/{action}", headers=stack.auth(role)
            )
            assert response.status_code == 403, (role, action, response.text)
    assert (await stack.http.get("/api/approvals")).status_code == 401
    await _listed(stack, handle.id, UserRole.OPERATOR)
    assert await _audit(stack, handle.id) == []
    # Still pending: nobody decided.
    assert (await pending_gate(handle)).gate_id == "node:Send"
    await stack.http.post(f"/api/executions/{handle.id}/approve", headers=stack.auth(UserRole.APPROVER))
    assert (await handle.result()).status is ExecutionStatus.SUCCESS


async def test_unknown_closed_and_not_pending(stack: Stack, client: Client, task_queue: str) -> None:
    approver = stack.auth(UserRole.APPROVER)
    missing = await stack.http.post("/api/executions/no-such-run/approve", headers=approver)
    assert missing.status_code == 404, missing.text

    # A run that waits on a Wait node, not on a gate: nothing to approve.
    waiting = chain(
        "waits", [node("Start", "manualTrigger", 1), node("Pause", "wait", 1.1, amount=1, unit="hours")]
    )
    idle = await start(client, task_queue, waiting, ON)
    nothing = await stack.http.post(f"/api/executions/{idle.id}/approve", headers=approver)
    assert nothing.status_code == 409, nothing.text
    assert "no approval is pending" in nothing.json()["error"]["message"]
    await idle.terminate()

    handle = await start(client, task_queue, gated_workflow(), ON)
    await pending_gate(handle)
    unknown_gate = await stack.http.post(
        f"/api/executions/{handle.id}/approve", json={"gate_id": "node:Other"}, headers=approver
    )
    assert unknown_gate.status_code == 404, unknown_gate.text
    assert (
        await stack.http.post(f"/api/executions/{handle.id}/approve", headers=approver)
    ).status_code == 200
    await handle.result()
    closed = await stack.http.post(f"/api/executions/{handle.id}/reject", headers=approver)
    assert closed.status_code == 409, closed.text
    assert [row.action for row in await _audit(stack, handle.id)] == ["approve"]


async def test_webhook_runs_carry_the_cluster_policy(stack: Stack, client: Client) -> None:
    workflow = gated_workflow()
    workflow["id"] = "hooked"
    workflow["nodes"][0] = node("Start", "webhook", 2, httpMethod="POST", path="gated-hook")
    async with stack.sessions() as session:
        await import_workflows(session, [workflow], activate=True)
    started = await stack.http.post("/webhook/gated-hook", json={})
    assert started.status_code == 200, started.text

    async def listed() -> dict[str, Any]:
        response = await stack.http.get("/api/approvals", headers=stack.auth(UserRole.VIEWER))
        hooked = [
            entry
            for entry in response.json()
            if entry["workflow"] == "gated" and entry["execution_id"].startswith("webhook-")
        ]
        assert len(hooked) == 1, response.json()
        entry: dict[str, Any] = hooked[0]
        return entry

    entry = await assert_eventually(listed, timeout_s=15)
    handle = client.get_workflow_handle(entry["execution_id"])
    await stack.http.post(f"/api/executions/{handle.id}/approve", headers=stack.auth(UserRole.ADMIN))
    assert (await handle.result())["status"] == "success"
