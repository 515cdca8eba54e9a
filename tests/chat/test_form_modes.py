"""Form Trigger response modes and options without Form pages, basic auth, and a Wait node
resuming "On Form Submitted" (a form page of its own)."""

from __future__ import annotations

import base64

import httpx
from temporalio.client import Client

from hive_core.config.models import CredentialConfig
from tests.builders import node
from tests.chat.conftest import StackFactory
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

FIELDS = {"values": [{"fieldLabel": "Name", "requiredField": True}]}


def _workflow(trigger: dict, *rest: dict) -> dict:
    nodes = [trigger, *rest]
    names = [n["name"] for n in nodes]
    return {
        "id": f"wf-{trigger['parameters']['path']}",
        "name": trigger["parameters"]["path"],
        "nodes": nodes,
        "connections": {
            a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
            for a, b in zip(names, names[1:], strict=False)
        },
        "settings": {"executionOrder": "v1"},
    }


def _trigger(path: str, version: float = 2.2, **parameters: object) -> dict:
    return node(
        "Form Trigger", "formTrigger", version, 0, path=path, formTitle="T", formFields=FIELDS, **parameters
    )


async def test_response_modes_and_options(chat_stack: StackFactory) -> None:
    last = _trigger(
        "last",
        responseMode="lastNode",
        options={"respondWithOptions": {"values": {"respondWith": "text", "formSubmittedText": "All done"}}},
    )
    redirect = _trigger(
        "redirect",
        options={
            "respondWithOptions": {"values": {"respondWith": "redirect", "redirectUrl": "example.com/x"}}
        },
    )
    respond = _trigger("respond", version=2.1, responseMode="responseNode")
    answer = node(
        "Respond", "respondToWebhook", 1.1, 200, respondWith="text", responseBody="=Hello {{ $json.Name }}"
    )
    workflows = [_workflow(last), _workflow(redirect), _workflow(respond, answer)]
    async with chat_stack(workflows) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            done = await http.post("/form/last", data={"field-0": "Ada"})
            assert done.status_code == 200 and "All done" in done.text
            moved = await http.post("/form/redirect", data={"field-0": "Ada"})
            assert moved.status_code == 303 and moved.headers["location"] == "http://example.com/x"
            hello = await http.post("/form/respond", data={"field-0": "Ada"})
            assert hello.status_code == 200 and hello.text == "Hello Ada"


async def test_basic_auth(chat_stack: StackFactory) -> None:
    trigger = _trigger("private", authentication="basicAuth")
    trigger["credentials"] = {"httpBasicAuth": {"id": "f1", "name": "Form login"}}
    credentials = {"Form login": CredentialConfig(type="httpBasicAuth", data={"user": "u", "password": "p"})}
    async with chat_stack([_workflow(trigger)], credentials=credentials) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            denied = await http.get("/form/private")
            assert denied.status_code == 401 and "Basic" in denied.headers["www-authenticate"]
            login = {"Authorization": "Basic " + base64.b64encode(b"u:p").decode()}
            assert (await http.get("/form/private", headers=login)).status_code == 200


async def test_wait_node_on_form_submitted(chat_stack: StackFactory, client: Client) -> None:
    wait = node(
        "Wait",
        "wait",
        1.1,
        200,
        resume="form",
        formTitle="Confirm",
        formFields={
            "values": [
                {
                    "fieldLabel": "Sure",
                    "fieldType": "dropdown",
                    "fieldOptions": {"values": [{"option": "yes"}]},
                }
            ]
        },
    )
    async with chat_stack([_workflow(_trigger("confirm"), wait)]) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            first = await http.post("/form/confirm", data={"field-0": "Ada"})
            assert first.status_code == 303
            waiting = first.headers["location"]
            assert "<h1>Confirm</h1>" in (await http.get(waiting)).text
            done = await http.post(waiting, data={"field-0": "yes"})
            assert done.status_code == 200 and "Your response has been recorded" in done.text
        run = await client.get_workflow_handle_for(N8nWorkflow.run, waiting.rsplit("/", 1)[1]).result()
    assert run.status is ExecutionStatus.SUCCESS
    assert run.run_data["Wait"][0]["data"]["main"][0][0]["json"]["Sure"] == "yes"
