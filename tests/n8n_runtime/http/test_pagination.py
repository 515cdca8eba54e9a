"""Pagination (v4.1+) with `$response` / `$pageCount` evaluated by the real expression engine."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.http import HttpStatusError
from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.http.conftest import MakeNode


def _paged(base_url: str, pagination: dict[str, Any], path: str = "/pages") -> dict[str, Any]:
    return {"url": f"{base_url}{path}", "options": {"pagination": {"pagination": pagination}}}


PAGE_PARAMETER = {
    "parameters": {"parameters": [{"type": "qs", "name": "page", "value": "={{ $pageCount + 1 }}"}]}
}


async def test_update_a_parameter_until_the_response_is_empty(make_node: MakeNode, base_url: str) -> None:
    node = make_node(_paged(base_url, PAGE_PARAMETER))
    assert await node.jsons() == [{"n": n} for n in range(6)]


async def test_heartbeat_after_every_page(make_node: MakeNode, base_url: str) -> None:
    beats: list[int] = []
    node = make_node(_paged(base_url, PAGE_PARAMETER))
    await node(heartbeat=lambda: beats.append(1))
    assert len(beats) == 4  # three pages with items, then the empty one


async def test_max_pages(make_node: MakeNode, base_url: str) -> None:
    pagination = {**PAGE_PARAMETER, "limitPagesFetched": True, "maxRequests": 2}
    assert await make_node(_paged(base_url, pagination)).jsons() == [{"n": n} for n in range(4)]


async def test_complete_expression(make_node: MakeNode, base_url: str) -> None:
    pagination = {
        **PAGE_PARAMETER,
        "paginationCompleteWhen": "other",
        "completeExpression": "={{ $response.body[0].n >= 2 }}",
    }
    assert await make_node(_paged(base_url, pagination)).jsons() == [{"n": n} for n in range(4)]


async def test_next_url_from_the_response(make_node: MakeNode, base_url: str) -> None:
    pagination = {
        "paginationMode": "responseContainsNextURL",
        "nextURL": "={{ $response.body.next }}",
        "paginationCompleteWhen": "other",
        "completeExpression": "={{ !$response.body.next }}",
    }
    jsons = await make_node(_paged(base_url, pagination, "/cursor")).jsons()
    assert [j["items"] for j in jsons] == [[{"at": 0}], [{"at": 1}], [{"at": 2}]]


async def test_complete_on_status_codes(make_node: MakeNode, base_url: str) -> None:
    pagination = {
        "paginationMode": "responseContainsNextURL",
        "nextURL": f"{base_url}/status/404",
        "paginationCompleteWhen": "receiveSpecificStatusCodes",
        "statusCodesWhenComplete": "404",
    }
    full = {"response": {"response": {"fullResponse": True}}}
    parameters = {**_paged(base_url, pagination, "/object")}
    parameters["options"] = {**parameters["options"], **full}
    jsons = await make_node(parameters).jsons()
    assert [j["statusCode"] for j in jsons] == [200, 404]


async def test_an_error_page_fails(make_node: MakeNode, base_url: str) -> None:
    pagination = {"paginationMode": "responseContainsNextURL", "nextURL": f"{base_url}/status/500?kind=text"}
    with pytest.raises(HttpStatusError, match="The service was not able to process your request"):
        await make_node(_paged(base_url, pagination, "/object"))()


async def test_identical_responses_stop_pagination(make_node: MakeNode, base_url: str) -> None:
    same = {"parameters": {"parameters": [{"type": "qs", "name": "x", "value": "1"}]}}
    with pytest.raises(NodeError, match="The returned response was identical 5x"):
        await make_node(_paged(base_url, same, "/object"))()


async def test_without_an_evaluator_pagination_is_not_supported(make_node: MakeNode, base_url: str) -> None:
    node = make_node(_paged(base_url, PAGE_PARAMETER))
    run, _ = node.run_for()
    from n8n_runtime.http import ConfigCredentials, run_http_request

    with pytest.raises(NodeError, match="pagination not supported yet"):
        await run_http_request(run, node.client, ConfigCredentials({}))


async def test_invalid_pagination_settings(make_node: MakeNode, base_url: str) -> None:
    empty = {"parameters": {"parameters": [{"type": "qs", "name": "", "value": ""}]}}
    with pytest.raises(NodeError, match="At least one entry with 'Name' and 'Value' filled"):
        await make_node(_paged(base_url, empty))()
    no_expression = {**PAGE_PARAMETER, "paginationCompleteWhen": "other", "completeExpression": "true"}
    with pytest.raises(NodeError, match="Invalid or empty Complete Expression"):
        await make_node(_paged(base_url, no_expression))()
