"""Credentials a workflow references that Hive does not hold: warnings from `hive compile` and the
workflows API (the compiler itself does no I/O; its callers check the plan against the store)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hive_core.db.models import UserRole
from tests.api_auth.conftest import auth
from tests.api_workflows.conftest import ApiFactory, export, make_api  # noqa: F401  (fixture)
from tests.builders import node

MISSING = (
    "credential 'Slack bot' (id sl4ck) of type 'slackApi' is not in Hive's credential store or hive.yaml"
)


def _workflow(workflow_id: str | None = None) -> dict[str, Any]:
    call = node(
        "Call", "httpRequest", 4.2, 200, url="http://127.0.0.1:1/", authentication="predefinedCredentialType"
    )
    call["parameters"]["nodeCredentialType"] = "slackApi"
    call["credentials"] = {"slackApi": {"id": "sl4ck", "name": "Slack bot"}}
    off = {**node("Off", "httpRequest", 4.2, 400, url="http://127.0.0.1:1/"), "disabled": True}
    off["credentials"] = {"httpHeaderAuth": {"id": "x", "name": "Disabled nodes are not checked"}}
    return export("uses slack", [node("Start", "manualTrigger", 1), call, off], workflow_id)


def _warnings(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [
        d["message"]
        for d in diagnostics
        if d["severity"] == "warning" and d.get("field", "").startswith("credentials.")
    ]


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_workflow_upload_warns_until_the_credential_is_stored(
    make_api: ApiFactory,  # noqa: F811
    make_key: Callable[..., Any],
) -> None:
    operator = auth(await make_key(UserRole.OPERATOR))
    async with make_api() as http:
        created = await http.post("/api/workflows", json=_workflow("wf1"), headers=operator)
        assert created.status_code == 201, created.text
        [warning] = [d for d in created.json()["diagnostics"] if d["field"] == "credentials.slackApi"]
        assert warning["node"] == "Call" and MISSING in warning["message"]
        assert _warnings(created.json()["diagnostics"]) == [warning["message"]]

        stored = await http.post(
            "/api/credentials",
            json={"id": "sl4ck", "name": "Slack bot", "type": "slackApi", "data": {}},
            headers=operator,
        )
        assert stored.status_code == 201
        updated = await http.put("/api/workflows/wf1", json=_workflow("wf1"), headers=operator)
        assert updated.status_code == 200, updated.text
        assert _warnings(updated.json()["diagnostics"]) == []


def test_hive_compile_warns_about_missing_credentials(tmp_path: Path) -> None:
    export_file = tmp_path / "wf.json"
    export_file.write_text(json.dumps(_workflow()))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    hive = [sys.executable, "-m", "hive_core.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*hive, *args], env=clean, capture_output=True, text=True, timeout=120, check=False
        )

    data_dir = tmp_path / "hive"
    # No database yet: nothing is stored, the warning is shown, and no database is created.
    first = run("compile", str(export_file), "--data-dir", str(data_dir))
    assert first.returncode == 0, first.stderr
    assert MISSING in first.stderr and 'node "Call"' in first.stderr
    assert "Disabled nodes" not in first.stderr
    assert not (data_dir / "hive.db").exists()

    credentials = tmp_path / "credentials.json"
    credentials.write_text(
        json.dumps([{"id": "sl4ck", "name": "Slack bot", "type": "slackApi", "data": {"accessToken": "t"}}])
    )
    assert run("credentials", "import", str(credentials), "--data-dir", str(data_dir)).returncode == 0
    second = run("compile", str(export_file), "--data-dir", str(data_dir))
    assert second.returncode == 0 and "slackApi" not in second.stderr, second.stderr
