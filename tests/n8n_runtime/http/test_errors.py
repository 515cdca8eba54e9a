"""Error classification: status errors (node errors), transport errors (retryable), limits."""

from __future__ import annotations

import asyncio

import pytest

from hive_core.errors import OperationalError
from n8n_runtime.http import HttpStatusError, HttpTransportError
from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.http.conftest import MakeNode
from tests.n8n_runtime.http.server import free_port


async def test_status_error_is_worded_like_n8n(make_node: MakeNode, base_url: str) -> None:
    node = make_node(
        {"url": f"={base_url}/status/{{{{ $json.code }}}}"}, items=[{"code": 200}, {"code": 404}]
    )
    with pytest.raises(HttpStatusError) as caught:
        await node()
    error = caught.value
    assert error.message == "The resource you are requesting could not be found"
    assert error.item_index == 1
    assert error.description == '{"error":"not found","auth":null}'
    assert error.raw_message == '404 - "{\\"error\\":\\"not found\\",\\"auth\\":null}"'


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (400, "Bad request - please check your parameters"),
        (418, "Your request is invalid or could not be processed by the service"),
        (429, "The service is receiving too many requests from you"),
        (500, "The service was not able to process your request"),
        (599, "The service failed to process your request"),
    ],
)
async def test_status_messages(make_node: MakeNode, base_url: str, code: int, message: str) -> None:
    with pytest.raises(HttpStatusError, match=message):
        await make_node({"url": f"{base_url}/status/{code}?kind=text"})()


async def test_json_format_finds_the_message_in_the_body(make_node: MakeNode, base_url: str) -> None:
    options = {"response": {"response": {"responseFormat": "json"}}}
    with pytest.raises(HttpStatusError) as caught:
        await make_node({"url": f"{base_url}/status/404", "options": options})()
    assert caught.value.description == "not found"
    assert caught.value.raw_message == '404 - {"error":"not found","auth":null}'


async def test_never_error_returns_the_error_response(make_node: MakeNode, base_url: str) -> None:
    options = {"response": {"response": {"neverError": True, "fullResponse": True}}}
    [item] = await make_node({"url": f"{base_url}/status/500", "options": options}).jsons()
    assert item["statusCode"] == 500
    assert item["statusMessage"] == "Internal Server Error"
    assert item["body"] == {"error": "not found", "auth": None}


async def test_continue_on_fail_gives_error_items(make_node: MakeNode, base_url: str) -> None:
    node = make_node(
        {"url": f"={base_url}/status/{{{{ $json.code }}}}?kind=text"},
        items=[{"code": 200}, {"code": 404}],
        on_error="continueRegularOutput",
    )
    output = await node()
    assert output[0] == [
        {"json": {"data": "plain failure"}, "pairedItem": {"item": 0}},
        {
            "json": {
                "error": {
                    "message": '404 - "plain failure"',
                    "name": "AxiosError",
                    "code": "ERR_BAD_REQUEST",
                    "status": 404,
                }
            },
            "pairedItem": {"item": 1},
        },
    ]
    bad_url = make_node({"url": "={{ $json.u }}"}, items=[{"u": "nope"}], on_error="continueErrorOutput")
    assert await bad_url.jsons() == [{"error": 'Invalid URL: nope. URL must start with "http" or "https".'}]


async def test_connection_refused_is_a_retryable_transport_error(make_node: MakeNode) -> None:
    node = make_node({"url": f"http://127.0.0.1:{free_port()}/x"}, on_error="continueRegularOutput")
    with pytest.raises(HttpTransportError) as caught:
        await node()
    error = caught.value
    assert isinstance(error, OperationalError) and error.retryable
    assert error.code == "ECONNREFUSED"
    assert error.message == "The service refused the connection - perhaps it is offline"
    final = error.to_node_error()
    assert isinstance(final, NodeError) and final.item_index == 0


async def test_dns_failure_is_a_transport_error(make_node: MakeNode) -> None:
    with pytest.raises(HttpTransportError) as caught:
        await make_node({"url": "http://no-such-host.invalid/"})()
    assert caught.value.code in ("ENOTFOUND", "EAI_AGAIN")


async def test_timeout_is_a_transport_error(make_node: MakeNode, base_url: str) -> None:
    node = make_node({"url": f"{base_url}/sleep?seconds=2", "options": {"timeout": 200}})
    with pytest.raises(HttpTransportError) as caught:
        await node()
    assert caught.value.code == "ECONNABORTED"
    assert "timeout of 200ms exceeded" in caught.value.description


async def test_redirects(make_node: MakeNode, base_url: str) -> None:
    [echo] = await make_node({"url": f"{base_url}/redirect?hops=2"}).jsons()
    assert echo["query"] == [["redirected", "1"]]
    # POST after a 302 becomes a GET, as follow-redirects does.
    [echo] = await make_node({"method": "POST", "url": f"{base_url}/redirect"}).jsons()
    assert echo["method"] == "GET"
    # v3 does not follow by default: the 302 is an error (axios accepts only 2xx).
    with pytest.raises(HttpStatusError) as caught:
        await make_node({"url": f"{base_url}/redirect"}, version=3)()
    assert caught.value.status == 302
    off = {"redirect": {"redirect": {"followRedirects": False}}}
    with pytest.raises(HttpStatusError):
        await make_node({"url": f"{base_url}/redirect", "options": off})()
    limited = {"redirect": {"redirect": {"followRedirects": True, "maxRedirects": 1}}}
    with pytest.raises(NodeError, match="Maximum number of redirects exceeded"):
        await make_node({"url": f"{base_url}/redirect?hops=3", "options": limited})()


async def test_oversized_output_fails_clearly(make_node: MakeNode, base_url: str) -> None:
    node = make_node({"url": f"{base_url}/big?size=50000"})
    with pytest.raises(NodeError) as caught:
        await node(max_output_bytes=10_000)
    assert "exceeds Hive's payload limit of 10000 bytes for one node output" in caught.value.message
    assert "2 MB" in (caught.value.description or "")
    assert len(await node.jsons()) == 50  # within the default 1.5 MB


async def test_oversized_response_fails_clearly(make_node: MakeNode, base_url: str) -> None:
    with pytest.raises(NodeError, match="exceeds Hive's limit of 5000 bytes for one HTTP response"):
        await make_node({"url": f"{base_url}/big?size=20000"})(max_response_bytes=5000)


async def test_batching_pauses_between_batches(make_node: MakeNode, base_url: str) -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        await asyncio.sleep(0)

    options = {"batching": {"batch": {"batchSize": 2, "batchInterval": 50}}}
    node = make_node({"url": f"{base_url}/object", "options": options}, items=[{}] * 5)
    assert len(await node.jsons(sleep=sleep)) == 5
    assert pauses == [0.05, 0.05]
    assert len(await make_node({"url": f"{base_url}/object"}, items=[{}] * 3).jsons(sleep=sleep)) == 3
    assert pauses == [0.05, 0.05]  # no batching option: no pause


async def test_allow_unauthorized_certs_uses_its_own_client(make_node: MakeNode, base_url: str) -> None:
    node = make_node({"url": f"{base_url}/object", "options": {"allowUnauthorizedCerts": True}})
    assert await node.jsons() == [{"id": 1, "name": "Ada"}]


async def test_proxy_option(make_node: MakeNode, base_url: str) -> None:
    # The local server doubles as a forward proxy; the target host never has to resolve.
    node = make_node({"url": "http://target.invalid/echo", "options": {"proxy": base_url}})
    [echo] = await node.jsons()
    assert echo["headers"]["host"] == "target.invalid"
    bad = make_node({"url": f"{base_url}/echo", "options": {"proxy": "not a proxy"}})
    with pytest.raises(NodeError, match="Invalid proxy URL"):
        await bad()


async def test_expression_errors_are_item_errors(make_node: MakeNode, base_url: str) -> None:
    parameters = {"url": f"={base_url}/echo?v={{{{ $json.a.b.c }}}}"}
    with pytest.raises(NodeError, match="Cannot read properties of undefined") as caught:
        await make_node(parameters, items=[{"a": {"b": {"c": 1}}}, {}])()
    assert caught.value.item_index == 1
    node = make_node(parameters, items=[{"a": {"b": {"c": 1}}}, {}], on_error="continueRegularOutput")
    output = await node.jsons()
    assert output[0]["query"] == [["v", "1"]]
    assert "Cannot read properties of undefined" in output[1]["error"]
