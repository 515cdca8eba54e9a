"""JWT and TOTP inside the pure-node activity: the credential is resolved there, never sent."""

from __future__ import annotations

import httpx
import jwt
import pytest
from temporalio.testing import ActivityEnvironment

from activities.n8n_nodes import NodeActivities, NodeTaskInput
from hive_core.config.models import CredentialConfig
from n8n_import import compile_export
from n8n_runtime.http import ConfigCredentials
from n8n_runtime.nodes.data.totp_node import totp
from tests.n8n_import.factory import link, node, trigger

SECRET = "activity-secret-that-is-long-enough-32"
NOW_MS = 1_700_000_000_000


def _task(
    node_type: str, parameters: dict[str, object], credential_type: str, ref: tuple[str, str]
) -> NodeTaskInput:
    export = {
        "nodes": [
            trigger(),
            node(
                "N",
                node_type,
                1,
                parameters=parameters,
                credentials={credential_type: {"id": ref[0], "name": ref[1]}},
            ),
        ],
        "connections": link(("Trigger", "N")),
    }
    plan = compile_export(export)[0]
    return NodeTaskInput(
        plan_json=plan.model_dump_json(), node="N", inputs=[[{"json": {}}]], run_index=0, source=[None],
        execution_id="e1", now_ms=NOW_MS,
    )  # fmt: skip


@pytest.fixture
async def activities() -> NodeActivities:
    credentials = ConfigCredentials(
        {
            "Mine": CredentialConfig(type="jwtAuth", data={"keyType": "passphrase", "secret": SECRET}),
            "t1": CredentialConfig(type="totpApi", data={"secret": "JBSWY3DPEHPK3PXP", "label": "hive:me"}),
        }
    )
    return NodeActivities(httpx.AsyncClient(), credentials)


async def test_jwt_signs_with_the_configured_secret_which_stays_out_of_the_payloads(
    activities: NodeActivities,
) -> None:
    task = _task("jwt", {"claims": {"sub": "u1"}}, "jwtAuth", ("j1", "Mine"))
    output = await ActivityEnvironment().run(activities.run_pure_node, task)
    assert output.error is None and output.outputs is not None
    token = output.outputs[0][0]["json"]["token"]  # type: ignore[index]
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == {"sub": "u1", "iat": NOW_MS // 1000}
    assert SECRET not in task.model_dump_json() and SECRET not in output.model_dump_json()


async def test_totp_uses_the_run_clock_and_a_missing_credential_is_a_node_error(
    activities: NodeActivities,
) -> None:
    output = await ActivityEnvironment().run(
        activities.run_pure_node, _task("totp", {}, "totpApi", ("t1", "2FA"))
    )
    assert output.outputs is not None
    assert output.outputs[0][0]["json"] == {  # type: ignore[index]
        "token": totp("JBSWY3DPEHPK3PXP", NOW_MS / 1000),
        "secondsRemaining": 10,
    }
    missing = _task("jwt", {"claims": {}}, "jwtAuth", ("c9", "Other"))
    # A new worker: the activity caches the plan per workflow run, and the test reuses one run id.
    fresh = NodeActivities(httpx.AsyncClient(), ConfigCredentials({}))
    failed = await ActivityEnvironment().run(fresh.run_pure_node, missing)
    assert (
        failed.error is not None
        and "Credential 'Other' (id c9) of type 'jwtAuth' is not configured" in failed.error.message
    )
