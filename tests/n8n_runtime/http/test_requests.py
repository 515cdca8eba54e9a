"""Requests as n8n builds them: methods, query, headers, bodies, expressions, response shapes."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.http.conftest import MakeNode


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_every_method_reaches_the_server(make_node: MakeNode, base_url: str, method: str) -> None:
    [echo] = await make_node({"method": method, "url": f"{base_url}/echo"}).jsons()
    assert echo["method"] == method
    assert echo["path"] == "/echo"


async def test_head_gives_an_empty_item(make_node: MakeNode, base_url: str) -> None:
    output = await make_node({"method": "HEAD", "url": f"{base_url}/object"})()
    assert output == [[{"json": {}, "pairedItem": {"item": 0}}]]


async def test_default_method_is_get_and_accept_is_n8ns(make_node: MakeNode, base_url: str) -> None:
    [echo] = await make_node({"url": f"{base_url}/echo"}).jsons()
    assert echo["method"] == "GET"
    assert echo["headers"]["accept"].startswith("application/json,text/html")


async def test_query_keypair_and_json(make_node: MakeNode, base_url: str) -> None:
    keypair = {
        "url": f"{base_url}/echo?fixed=1",
        "sendQuery": True,
        "queryParameters": {"parameters": [{"name": "a", "value": "x y"}, {"name": "b", "value": "2"}]},
    }
    [echo] = await make_node(keypair).jsons()
    assert echo["query"] == [["fixed", "1"], ["a", "x y"], ["b", "2"]]
    as_json = {
        "url": f"{base_url}/echo",
        "sendQuery": True,
        "specifyQuery": "json",
        "jsonQuery": '{"ids": [1, 2], "filter": {"k": "v"}, "skip": null}',
    }
    [echo] = await make_node(as_json).jsons()
    assert echo["query"] == [["ids[]", "1"], ["ids[]", "2"], ["filter[k]", "v"]]


@pytest.mark.parametrize(
    ("array_format", "expected"),
    [("repeat", ["ids", "ids"]), ("brackets", ["ids[]", "ids[]"]), ("indices", ["ids[0]", "ids[1]"])],
)
async def test_query_array_formats(
    make_node: MakeNode, base_url: str, array_format: str, expected: list[str]
) -> None:
    parameters = {
        "url": f"{base_url}/echo",
        "sendQuery": True,
        "specifyQuery": "json",
        "jsonQuery": '{"ids": [1, 2]}',
        "options": {"queryParameterArrays": array_format},
    }
    [echo] = await make_node(parameters).jsons()
    assert [name for name, _ in echo["query"]] == expected


async def test_repeated_query_names_overwrite_before_4_3(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "url": f"{base_url}/echo",
        "sendQuery": True,
        "queryParameters": {"parameters": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]},
    }
    [echo] = await make_node(parameters).jsons()
    assert echo["query"] == [["a", "2"]]


async def test_headers_keypair_are_lowercased_and_json_headers(make_node: MakeNode, base_url: str) -> None:
    keypair = {
        "url": f"{base_url}/echo",
        "sendHeaders": True,
        "headerParameters": {
            "parameters": [{"name": "X-Custom", "value": "one"}, {"name": "", "value": "skip"}]
        },
    }
    [echo] = await make_node(keypair).jsons()
    assert echo["headers"]["x-custom"] == "one"
    as_json = {
        "url": f"{base_url}/echo",
        "sendHeaders": True,
        "specifyHeaders": "json",
        "jsonHeaders": '{"X-N": 5}',
    }
    [echo] = await make_node(as_json).jsons()
    assert echo["headers"]["x-n"] == "5"


async def test_lowercase_headers_option(make_node: MakeNode, base_url: str) -> None:
    # Lowercasing merges names that differ only in case (the later value wins).
    parameters = {
        "url": f"{base_url}/echo",
        "sendHeaders": True,
        "headerParameters": {"parameters": [{"name": "X-A", "value": "1"}, {"name": "x-a", "value": "2"}]},
    }
    [lowered] = await make_node(parameters).jsons()
    assert lowered["headers"]["x-a"] == "2"
    kept = {**parameters, "options": {"lowercaseHeaders": False}}
    [both] = await make_node(kept).jsons()
    assert [v for k, v in both["header_list"] if k == "x-a"] == ["1", "2"]


async def test_json_body_from_fields_builds_nested_objects(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "method": "POST",
        "url": f"{base_url}/echo",
        "sendBody": True,
        "bodyParameters": {
            "parameters": [{"name": "user.name", "value": "Ada"}, {"name": "tags[0]", "value": "a"}]
        },
    }
    [echo] = await make_node(parameters).jsons()
    assert echo["body"]["json"] == {"user": {"name": "Ada"}, "tags": ["a"]}
    assert echo["headers"]["content-type"] == "application/json"
    [echo] = await make_node(parameters, version=3).jsons()
    assert echo["body"]["json"] == {"user.name": "Ada", "tags[0]": "a"}


async def test_json_body_from_json_text_and_invalid_json(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "method": "POST",
        "url": f"{base_url}/echo",
        "sendBody": True,
        "specifyBody": "json",
        "jsonBody": '{"a": [1, 2], "ü": true}',
    }
    [echo] = await make_node(parameters).jsons()
    assert echo["body"]["json"] == {"a": [1, 2], "ü": True}
    broken = make_node({**parameters, "jsonBody": "{oops"}, items=[{}, {}])
    with pytest.raises(NodeError, match='The value in the "JSON Body" field is not valid JSON') as caught:
        await broken()
    assert caught.value.item_index == 0


async def test_form_urlencoded_and_single_string_body(make_node: MakeNode, base_url: str) -> None:
    fields = {
        "method": "POST",
        "url": f"{base_url}/echo",
        "sendBody": True,
        "contentType": "form-urlencoded",
        "bodyParameters": {"parameters": [{"name": "a", "value": "1 2"}, {"name": "b", "value": "&"}]},
    }
    [echo] = await make_node(fields).jsons()
    assert echo["body"]["form"] == [["a", "1 2"], ["b", "&"]]
    assert echo["headers"]["content-type"] == "application/x-www-form-urlencoded"
    single = {**fields, "specifyBody": "string", "body": "x=1&y=two"}
    [echo] = await make_node(single).jsons()
    assert echo["body"]["form"] == [["x", "1"], ["y", "two"]]


async def test_multipart_form_fields(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "method": "POST",
        "url": f"{base_url}/echo",
        "sendBody": True,
        "contentType": "multipart-form-data",
        "bodyParameters": {"parameters": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]},
    }
    [echo] = await make_node(parameters).jsons()
    assert echo["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    assert echo["body"]["multipart"] == [["a", "1"], ["a", "2"]]
    binary = {
        **parameters,
        "bodyParameters": {
            "parameters": [
                {"name": "a", "value": "1"},
                {"parameterType": "formBinaryData", "name": "f", "inputDataFieldName": "d"},
            ]
        },
    }
    file = {"mimeType": "text/csv", "fileName": "x.csv", "data": base64.b64encode(b"a,b\n").decode()}
    [upload] = await make_node(binary, items=[{"json": {}, "binary": {"d": file}}]).jsons()
    assert upload["body"]["multipart"] == [["a", "1"], ["f", "a,b\n"]]
    assert 'filename="x.csv"' in upload["body"]["text"] and "Content-Type: text/csv" in upload["body"]["text"]
    with pytest.raises(NodeError, match=r"The item has no binary field 'd' \[item 0\]"):
        await make_node(binary, items=[{"json": {}, "binary": {"other": file}}])()


async def test_raw_body_and_binary_body(make_node: MakeNode, base_url: str) -> None:
    raw = {
        "method": "PUT",
        "url": f"{base_url}/echo",
        "sendBody": True,
        "contentType": "raw",
        "rawContentType": "text/csv",
        "body": "a,b\n1,2",
    }
    [echo] = await make_node(raw).jsons()
    assert echo["headers"]["content-type"] == "text/csv"
    assert echo["body"]["text"] == "a,b\n1,2"
    binary = {
        "method": "POST", "url": f"{base_url}/echo", "sendBody": True, "contentType": "binaryData",
        "inputDataFieldName": "file",
    }  # fmt: skip
    file = {"mimeType": "image/png", "fileName": "p.png", "data": base64.b64encode(b"\x89PNG..").decode()}
    [echo] = await make_node(binary, items=[{"json": {}, "binary": {"file": file}}]).jsons()
    assert echo["headers"]["content-type"] == "image/png" and echo["headers"]["content-length"] == "6"
    with pytest.raises(NodeError, match="expects the node's input data to contain a binary file 'file'"):
        await make_node(binary)()


async def test_expressions_are_evaluated_per_item(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "method": "POST",
        "url": f"={base_url}/echo?id={{{{ $json.id }}}}",
        "sendHeaders": True,
        "headerParameters": {"parameters": [{"name": "x-name", "value": "={{ $json.name.toUpperCase() }}"}]},
        "sendBody": True,
        "specifyBody": "json",
        "jsonBody": "={{ JSON.stringify({ id: $json.id, double: $json.id * 2 }) }}",
    }
    node = make_node(parameters, items=[{"id": 1, "name": "ada"}, {"id": 2, "name": "bob"}])
    output = await node()
    assert [item["pairedItem"] for item in output[0] or []] == [{"item": 0}, {"item": 1}]
    echoes: list[dict[str, Any]] = [item["json"] for item in output[0] or []]
    assert [e["query"] for e in echoes] == [[["id", "1"]], [["id", "2"]]]
    assert [e["headers"]["x-name"] for e in echoes] == ["ADA", "BOB"]
    assert [e["body"]["json"] for e in echoes] == [{"id": 1, "double": 2}, {"id": 2, "double": 4}]


async def test_array_response_becomes_one_item_per_element(make_node: MakeNode, base_url: str) -> None:
    output = await make_node({"url": f"{base_url}/array"}, items=[{}, {}])()
    items = output[0] or []
    assert [i["json"] for i in items] == [{"id": 1}, {"id": 2}, {"id": 3}] * 2
    assert [i["pairedItem"]["item"] for i in items] == [0, 0, 0, 1, 1, 1]


async def test_text_responses_and_output_property(make_node: MakeNode, base_url: str) -> None:
    assert await make_node({"url": f"{base_url}/text"}).jsons() == [{"data": "hello world"}]
    renamed = {
        "url": f"{base_url}/special/json-as-text",
        "options": {"response": {"response": {"responseFormat": "text", "outputPropertyName": "page"}}},
    }
    # n8n asks axios for JSON, so JSON text comes back re-serialised (compact).
    assert await make_node(renamed).jsons() == [{"page": '{"a":1,"b":[1,2]}'}]


async def test_json_format_parses_text_and_rejects_non_json(make_node: MakeNode, base_url: str) -> None:
    as_json = {"responseFormat": "json"}
    parsed = {"url": f"{base_url}/special/json-as-text", "options": {"response": {"response": as_json}}}
    assert await make_node(parsed).jsons() == [{"a": 1, "b": [1, 2]}]
    text = {"url": f"{base_url}/text", "options": {"response": {"response": as_json}}}
    with pytest.raises(
        NodeError, match='Response body is not valid JSON. Change "Response Format" to "Text"'
    ):
        await make_node(text)()


async def test_full_response(make_node: MakeNode, base_url: str) -> None:
    full = {"response": {"response": {"fullResponse": True}}}
    [item] = await make_node({"url": f"{base_url}/array", "options": full}).jsons()
    assert list(item) == ["body", "headers", "statusCode", "statusMessage"]
    assert item["body"] == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert item["statusCode"] == 200 and item["statusMessage"] == "OK"
    assert item["headers"]["content-type"] == "application/json"
    [text] = await make_node({"url": f"{base_url}/text", "options": full}).jsons()
    assert text["data"] == "hello world" and text["statusCode"] == 200
    [cookies] = await make_node({"url": f"{base_url}/special/cookies", "options": full}).jsons()
    assert len(cookies["headers"]["set-cookie"]) == 2


async def test_special_bodies(make_node: MakeNode, base_url: str) -> None:
    assert await make_node({"url": f"{base_url}/special/empty-json"}).jsons() == [{}]
    assert await make_node({"url": f"{base_url}/special/scalar"}).jsons() == [{"data": 42}]
    with pytest.raises(NodeError, match="Invalid JSON in response body"):
        await make_node({"url": f"{base_url}/special/invalid-json"})()
    # Files become n8n binary data (inline base64 here: this run has no binary store).
    [detected] = (await make_node({"url": f"{base_url}/special/binary"})())[0] or []
    assert detected["json"] == {} and detected["binary"]["data"]["fileName"] == "binary"
    file_format = {
        "url": f"{base_url}/text",
        "options": {"response": {"response": {"responseFormat": "file", "outputPropertyName": "out"}}},
    }
    [text_file] = (await make_node(file_format)())[0] or []
    data = text_file["binary"]["out"]
    assert base64.b64decode(data["data"]) == b"hello world" and data["mimeType"] == "text/plain"
    assert data["fileName"] == "text" and data["fileSize"] == "11 B"


async def test_url_validation(make_node: MakeNode, base_url: str) -> None:
    with pytest.raises(NodeError, match='Invalid URL: ftp://x. URL must start with "http" or "https".'):
        await make_node({"url": "ftp://x"})()
    with pytest.raises(NodeError, match="URL parameter must be a string, got number"):
        await make_node({"url": "={{ 5 }}"})()
    with pytest.raises(NodeError, match="SSL client certificates are not supported yet"):
        await make_node({"url": f"{base_url}/object", "provideSslCertificates": True})()


async def test_no_input_items_no_requests(make_node: MakeNode, base_url: str) -> None:
    node = make_node({"url": f"{base_url}/object"})
    node.items = []
    assert await node() == [[]]
