"""The HTTP Request tool's "Optimize Response": n8n's JSON field selection, HTML selection and text
truncation (units), and the optimized text the model receives through a real run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from n8n_runtime.ai.http_tool_response import ResponseOptimizer, optimize_response, optimizer_from_parameters
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from tests.loopback import JsonHandler, serve
from workflows.n8n_models import ExecutionStatus

NOTION = {
    "object": "list",
    "results": [
        {"id": "b1", "type": "paragraph", "paragraph": {"text": "Hello", "color": "red"}, "archived": False},
        {"id": "b2", "type": "heading_1", "heading_1": {"text": "Title"}},
    ],
}


def _options(**parameters: Any) -> ResponseOptimizer:
    optimizer = optimizer_from_parameters(lambda name, default: parameters.get(name, default))
    assert optimizer is not None
    return optimizer


def test_off_unless_optimize_response_is_set() -> None:
    assert optimizer_from_parameters(lambda name, default: default) is None


def test_json_data_field_and_selected_nested_fields_as_n8n_stringifies() -> None:
    options = _options(
        optimizeResponse=True, dataField="results", fieldsToInclude="selected", fields="id, paragraph.text"
    )
    # lodash set creates `paragraph` even where get found nothing; undefined leaves are dropped.
    expected = [{"id": "b1", "paragraph": {"text": "Hello"}}, {"id": "b2", "paragraph": {}}]
    assert optimize_response(NOTION, options) == json.dumps(expected, indent=2)


def test_json_except_all_arrays_and_strings() -> None:
    except_ = _options(optimizeResponse=True, dataField="results", fieldsToInclude="except",
                       fields="paragraph,heading_1,archived")  # fmt: skip
    expected = [{"id": "b1", "type": "paragraph"}, {"id": "b2", "type": "heading_1"}]
    assert json.loads(optimize_response(json.loads(json.dumps(NOTION)), except_)) == expected
    every = _options(optimizeResponse=True)
    assert optimize_response('{"a": 1}', every) == '[\n  {\n    "a": 1\n  }\n]'
    mapped = _options(optimizeResponse=True, dataField="id")
    assert json.loads(optimize_response([{"id": 1}, {"x": 2}, 3], mapped)) == [1, None, None]
    with pytest.raises(ValueError, match="must be an object or an array of objects"):
        optimize_response("5", every)


def test_html_selector_content_omission_and_truncation() -> None:
    page = "<html><body><div class='a'><p>Hi <b>you</b></p>\n<p>there</p><nav>menu</nav></div><div class='a'>two</div></body></html>"  # noqa: E501
    raw = _options(optimizeResponse=True, responseType="html", cssSelector="div.a")
    assert json.loads(optimize_response(page, raw)) == [
        "<p>Hi <b>you</b></p><p>there</p><nav>menu</nav>",
        "two",
    ]
    text = _options(optimizeResponse=True, responseType="html", cssSelector="div.a", onlyContent=True,
                    elementsToOmit="nav")  # fmt: skip
    assert json.loads(optimize_response(page, text)) == ["Hi you there", "two"]
    short = _options(optimizeResponse=True, responseType="html", truncateResponse=True, maxLength=10)
    assert optimize_response(page, short) == '[\n  "<div '
    with pytest.raises(ValueError, match="must be a string. Received: object"):
        optimize_response({"a": 1}, raw)


def test_text_is_the_readable_text_truncated() -> None:
    page = (
        "<html><head><style>x{}</style></head>"
        "<body><nav>Menu</nav><h1>News</h1><p>Bees are back.</p></body></html>"
    )
    options = _options(optimizeResponse=True, responseType="text", truncateResponse=True, maxLength=12)
    assert optimize_response(page, options) == "News Bees ar"


@contextmanager
def _blocks_api() -> Iterator[str]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.reply_json(200, NOTION)

    with serve(Handler) as url:
        yield url


async def test_the_model_gets_the_optimized_response(ai_cluster: AiCluster) -> None:
    call = {"function": {"name": "Blocks", "arguments": {"page_id": "p1"}}}
    ai_cluster.configure(tool_calls=[call], tool_calls_once=True, reply="done")
    with _blocks_api() as url:
        tool = lc(
            "Blocks", "toolHttpRequest", 1.1, 300, toolDescription="Page blocks",
            url=url + "/v1/blocks/{page_id}",
            optimizeResponse=True, dataField="results", fieldsToInclude="selected", fields="id, type",
        )  # fmt: skip
        workflow = ai_workflow(
            "optimized tool",
            [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'read'}}];"),
             lc("Agent", "agent", 1.7, 200)],
            [(lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
             (tool, "ai_tool", "Agent")],
        )  # fmt: skip
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "done"}]
    tool_message = ai_cluster.fake.stats.bodies[-1]["messages"][-1]
    assert tool_message["role"] == "tool"
    expected = [{"id": "b1", "type": "paragraph"}, {"id": "b2", "type": "heading_1"}]
    assert tool_message["content"] == json.dumps(expected, indent=2)
