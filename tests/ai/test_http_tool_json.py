"""LangChain's HTTP Request tool with a "Using JSON" body: the model's {placeholder} arguments are
written into the JSON text, which the HTTP Request node sends (checked on a local echo server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from tests.loopback import JsonHandler, serve
from workflows.n8n_models import ExecutionStatus


@contextmanager
def _echo() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            received.append({"path": self.path, "body": json.loads(self.read_body() or b"null")})
            self.reply_json(200, {"booked": True})

    with serve(Handler) as url:
        yield url, received


async def test_json_body_placeholders_are_filled_by_the_model(ai_cluster: AiCluster) -> None:
    call = {"function": {"name": "Book", "arguments": {"start": "2026-01-02T10:00", "who": "Ada"}}}
    ai_cluster.configure(tool_calls=[call], tool_calls_once=True, reply="booked")
    with _echo() as (url, received):
        tool = lc(
            "Book", "toolHttpRequest", 1.1, 300, toolDescription="Books a meeting", method="POST",
            url=url + "/events", sendBody=True, specifyBody="json",
            jsonBody='{\n "subject": "Meeting with {who}",\n "start": {"dateTime": "{start}"}\n}',
            placeholderDefinitions={"values": [{"name": "start", "description": "ISO", "type": "string"}]},
        )  # fmt: skip
        workflow = ai_workflow(
            "json tool",
            [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'book'}}];"),
             lc("Agent", "agent", 1.7, 200)],
            [(lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
             (tool, "ai_tool", "Agent")],
        )  # fmt: skip
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "booked"}]
    assert received == [
        {
            "path": "/events",
            "body": {"subject": "Meeting with Ada", "start": {"dateTime": "2026-01-02T10:00"}},
        }
    ]
    schema = ai_cluster.fake.stats.bodies[0]["tools"][0]["function"]["parameters"]
    assert schema["required"] == ["who", "start"]
