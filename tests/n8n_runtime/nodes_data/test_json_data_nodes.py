"""Item Lists, Compare Datasets, XML, Execution Data and DebugHelper: version differences and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_import import compile_export
from n8n_import.registry import get_spec
from n8n_runtime.nodes.base import NodeError, NodeRun
from n8n_runtime.nodes.data import DATA_NODES
from tests.n8n_import.factory import link, node, trigger
from tests.n8n_runtime.nodes_data.helpers import execute, jsons, make_run


@pytest.mark.parametrize(
    "pair",
    [
        "httpRequest@4.3", "httpRequest@4.4", "if@2.3", "filter@2.3", "switch@3.3",
        "executeWorkflow@1.3", "itemLists@1", "itemLists@2.2", "itemLists@3.1",
        "compareDatasets@2.3", "xml@1", "executionData@1", "debugHelper@1",
    ],
)  # fmt: skip
def test_registry_accepts_the_typeversions_n8n_1_123_defines(pair: str) -> None:
    name, version = pair.split("@")
    spec = get_spec("n8n-nodes-base." + name)
    assert spec is not None and spec.supports(float(version))


def test_an_if_2_3_export_compiles() -> None:
    conditions = {
        "options": {"version": 2, "caseSensitive": True, "typeValidation": "strict"},
        "combinator": "and",
        "conditions": [{"leftValue": "={{ true }}", "operator": {"type": "boolean", "operation": "true"}}],
    }
    export = {
        "nodes": [trigger(), node("If", "if", 2.3, parameters={"conditions": conditions})],
        "connections": link(("Trigger", "If")),
    }
    plan = compile_export(export)[0]
    assert plan.nodes["If"].output_count == 2


def test_item_lists_split_out_missing_field_fails_before_2_1_and_yields_nothing_after() -> None:
    params = {"fieldToSplitOut": "missing", "options": {}}
    with pytest.raises(NodeError, match="Couldn't find the field 'missing' in the input data"):
        execute("itemLists", 2, params, [{"a": 1}])
    assert execute("itemLists", 2.1, params, [{"a": 1}]) == []


def test_item_lists_v1_fixed_collections_map_onto_remove_duplicates() -> None:
    params = {
        "operation": "removeDuplicates",
        "compare": "selectedFields",
        "fieldsToCompare": {"fields": [{"fieldName": "k"}]},
    }
    out = execute("itemLists", 1, params, [{"k": 1, "v": "a"}, {"k": 1, "v": "b"}, {"k": 2, "v": "c"}])
    assert jsons(out) == [{"k": 1, "v": "a"}, {"k": 2, "v": "c"}]


def test_item_lists_3_1_removes_duplicates_of_mixed_types_where_3_fails() -> None:
    data = [{"m": "1"}, {"m": 1}, {"m": "1"}, {"m": True}, {"m": 1}]
    with pytest.raises(NodeError, match="'m' isn't always the same type"):
        execute("itemLists", 3, {"operation": "removeDuplicates"}, data)
    assert jsons(execute("itemLists", 3.1, {"operation": "removeDuplicates"}, data)) == [
        {"m": "1"},
        {"m": 1},
        {"m": True},
    ]


def test_item_lists_v1_sort_ignores_case_like_n8n() -> None:
    params = {"operation": "sort", "sortFieldsUi": {"sortField": [{"fieldName": "n"}]}}
    out = execute("itemLists", 1, params, [{"n": "b"}, {"n": "A"}, {"n": "a"}])
    assert [j["n"] for j in jsons(out)] == ["A", "a", "b"]


def _compare(version: float, params: dict[str, Any], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> Any:
    run = make_run(
        "compareDatasets",
        version,
        {"mergeByFields": {"values": [{"field1": "id", "field2": "id"}]}, **params},
    )
    run = NodeRun(
        node=run.node, inputs=[[{"json": j} for j in a], [{"json": j} for j in b]], params=run.params
    )
    return [[item["json"] for item in out or []] for out in DATA_NODES[run.node.type](run)]


def test_compare_datasets_outputs_and_version_defaults() -> None:
    a = [{"id": 1, "x": "same"}, {"id": 2, "x": "old"}, {"id": 3}]
    b = [{"id": 1, "x": "same"}, {"id": 2, "x": "new"}, {"id": 4}]
    only_a, same, different, only_b = _compare(2, {}, a, b)
    assert (only_a, same, only_b) == ([{"id": 3}], [{"id": 1, "x": "same"}], [{"id": 4}])
    assert different == [{"id": 2, "x": "new"}]  # v2 default: use input B's version
    different_21 = _compare(2.1, {}, a, b)[2]  # v2.1 default: include both, named inputA/inputB
    assert different_21 == [
        {"keys": {"id": 2}, "same": {"id": 2}, "different": {"x": {"inputA": "old", "inputB": "new"}}}
    ]
    both_v1 = _compare(1, {"resolve": "includeBoth"}, a, b)[2]
    assert both_v1[0]["different"] == {"x": {"input1": "old", "input2": "new"}}


def test_compare_datasets_missing_match_field_fails_before_2_2() -> None:
    with pytest.raises(NodeError, match="Field 'id' is not present in any of items in 'Input A'"):
        _compare(2.1, {}, [{"other": 1}], [{"id": 1}])
    assert _compare(2.2, {}, [{"other": 1}], [{"id": 1}])[0] == [{"other": 1}]


def test_compare_datasets_fuzzy_compares_numbers_and_strings() -> None:
    out = _compare(2.3, {"fuzzyCompare": True}, [{"id": 1, "n": 5}], [{"id": "1", "n": "5"}])
    assert out[1] == [{"id": 1, "n": 5}]


def test_xml_round_trip_with_attributes_and_repeated_tags() -> None:
    text = '<r a="1"><item>x</item><item>y</item><e/><t k="v">txt</t></r>'
    parsed = jsons(execute("xml", 1, {}, [{"data": text}]))[0]
    assert parsed == {"r": {"a": "1", "item": ["x", "y"], "e": "", "t": {"k": "v", "_": "txt"}}}
    built = jsons(
        execute(
            "xml",
            1,
            {"mode": "jsonToxml", "options": {"headless": True}},
            [{"o": {"$": {"id": "7"}, "n": [1, 2], "s": "a&b"}}],
        )
    )
    assert built == [{"data": '<o id="7">\n  <n>1</n>\n  <n>2</n>\n  <s>a&amp;b</s>\n</o>'}]


def test_xml_rejects_invalid_xml_and_a_missing_property() -> None:
    with pytest.raises(NodeError, match="^Unexpected close tag\nLine: 0\nColumn: "):
        execute("xml", 1, {}, [{"data": "<a><b></a>"}])
    with pytest.raises(NodeError, match="^Non-whitespace before first tag."):
        execute("xml", 1, {}, [{"data": "not xml"}])
    with pytest.raises(NodeError, match='Item has no JSON property called "data"'):
        execute("xml", 1, {}, [{"other": "<a/>"}])


def test_execution_data_saves_strings_into_the_runs_custom_data() -> None:
    custom: dict[str, str] = {}
    params = {"dataToSave": {"values": [{"key": "id", "value": 42}]}}
    out = execute("executionData", 1, params, [{"a": 1}], extras={"custom_data": custom})
    assert jsons(out) == [{"a": 1}] and custom == {"id": "42"}


def test_debug_helper_random_data_is_repeatable_for_a_seed() -> None:
    params = {"category": "randomData", "randomDataType": "user", "randomDataCount": 3}
    first = execute("debugHelper", 1, params, [{}], extras={"random_seed": 7})
    again = execute("debugHelper", 1, params, [{}], extras={"random_seed": 7})
    other = execute("debugHelper", 1, params, [{}], extras={"random_seed": 8})
    assert first == again and first != other and len(first) == 3
    assert set(first[0]["json"]) == {"uid", "email", "firstname", "lastname", "password"}


def test_debug_helper_throws_its_message_by_default() -> None:
    with pytest.raises(NodeError, match="Node has thrown an error"):
        execute("debugHelper", 1, {}, [{}])
    assert execute("debugHelper", 1, {"category": "doNothing"}, [{}]) == []


_SECRET = "s3cret-long-enough-for-hs256-keys!"


def _jwt_run(parameters: dict[str, Any], items: list[dict[str, Any]], secret: str | None = _SECRET) -> Any:
    from n8n_import.plan import CredentialRef

    run = make_run("jwt", 1, parameters, items, extras={"now_ms": 1_700_000_000_000})
    if secret is not None:
        node = run.node.model_copy(update={"credentials": {"jwtAuth": CredentialRef(id="c1", name="JWT")}})
        data = {"keyType": "passphrase", "secret": secret, "algorithm": "HS256"}
        extras = {**run.extras, "credential_data": lambda n, t: data}
        run = NodeRun(node=node, inputs=run.inputs, params=run.params, extras=extras)
    return DATA_NODES[run.node.type](run)[0]


def test_jwt_sign_then_verify_and_decode() -> None:
    token = _jwt_run({"claims": {"sub": "u1"}, "options": {"kid": "k"}}, [{}])[0]["json"]["token"]
    verified = _jwt_run({"operation": "verify", "token": token, "options": {"complete": True}}, [{}])[0][
        "json"
    ]
    assert verified["payload"] == {"sub": "u1", "iat": 1_700_000_000} and verified["header"]["kid"] == "k"
    decoded = _jwt_run({"operation": "decode", "token": token}, [{}], secret="other")[0]["json"]
    assert decoded == {"payload": {"sub": "u1", "iat": 1_700_000_000}}


def test_jwt_errors_name_the_missing_credential_and_a_bad_signature() -> None:
    with pytest.raises(NodeError, match='Node "Node" does not have any credentials set for "jwtAuth"'):
        _jwt_run({"claims": {"sub": "u1"}}, [{}], secret=None)
    token = _jwt_run({"claims": {"sub": "u1"}}, [{}])[0]["json"]["token"]
    with pytest.raises(NodeError, match="The JWT token can't be verified"):
        _jwt_run({"operation": "verify", "token": token}, [{}], secret="a-different-secret-of-enough-length!")
    with pytest.raises(NodeError, match="The JWT token was not provided"):
        _jwt_run({"operation": "verify", "token": ""}, [{}])


def test_html_extract_text_and_markup_that_is_not_html() -> None:
    values = [
        {"key": "t", "cssSelector": "h1"},
        {"key": "l", "cssSelector": "a", "returnValue": "attribute", "attribute": "href"},
    ]
    params = {"operation": "extractHtmlContent", "extractionValues": {"values": values}}
    out = jsons(execute("html", 1.2, params, [{"data": "<h1>Title</h1><p>x <a href='/u'>link</a></p>"}]))
    # n8n converts the match's inner HTML, so the heading is not upper-cased (recorded from n8n:
    # tests/differential/fixtures/html.jsonl, html/0000).
    assert out == [{"t": "Title", "l": "/u"}]
    # Not HTML at all: like cheerio, the text is a document in which nothing matches.
    assert jsons(execute("html", 1.2, params, [{"data": "just { text"}])) == [{"t": ""}]
    with pytest.raises(NodeError, match="No property named 'data' exists!"):
        execute("html", 1.2, params, [{"other": 1}])


def test_crypto_hash_hmac_and_repeatable_generate() -> None:
    hashed = jsons(execute("crypto", 1, {"type": "SHA256", "value": "abc"}, [{"x": 1}]))
    assert hashed == [{"x": 1, "data": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]
    params = {"action": "hmac", "type": "SHA256", "value": "abc", "secret": "k", "encoding": "base64"}
    assert (
        jsons(execute("crypto", 1, params, [{}]))[0]["data"]
        == "NC5RnOCtbAOja5jus/HRMNtIE7nfTRFg7aSI1xLceO4="  # openssl dgst -sha256 -hmac k
    )
    generate = {"action": "generate", "encodingType": "hex", "stringLength": 10, "dataPropertyName": "id"}
    first = execute("crypto", 1, generate, [{}], extras={"random_seed": 3})
    assert first == execute("crypto", 1, generate, [{}], extras={"random_seed": 3})
    assert len(first[0]["json"]["id"]) == 10


def test_crypto_sign_with_an_rsa_key_verifies() -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    params = {"action": "sign", "algorithm": "RSA-SHA256", "value": "hello", "privateKey": pem}
    signature = bytes.fromhex(jsons(execute("crypto", 1, params, [{}]))[0]["data"])
    key.public_key().verify(signature, b"hello", padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(NodeError, match="The private key is not valid"):
        execute("crypto", 1, {**params, "privateKey": "not a key"}, [{}])


def test_totp_matches_rfc_6238_vectors() -> None:
    from n8n_runtime.nodes.data.totp_node import totp

    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp(secret, 59, digits=8) == "94287082"
    assert totp(secret, 1111111109, digits=8) == "07081804"


def test_compare_datasets_strict_matching_is_lodash_is_equal() -> None:
    a = [{"id": 1.0, "v": 1}, {"id": {"x": 1, "y": 2}, "v": 2}, {"id": True, "v": 3}]
    b = [{"id": {"y": 2, "x": 1}, "v": 2}, {"id": 1, "v": 1}, {"id": 1, "v": 9}]
    only_a, same, different, only_b = _compare(2.3, {"resolve": "preferInput2"}, a, b)
    assert same == [{"id": 1.0, "v": 1}, {"id": {"x": 1, "y": 2}, "v": 2}]
    assert only_a == [{"id": True, "v": 3}]  # true is not 1 for isEqual
    assert (different, only_b) == ([], [{"id": 1, "v": 9}])


def test_markdown_both_directions() -> None:
    to_html = {
        "mode": "markdownToHtml",
        "markdown": "# A b\n\n# A b\n\nx ... `y...`",
        "destinationKey": "out.html",
    }
    out = jsons(execute("markdown", 1, to_html, [{"keep": 1}]))[0]
    assert out == {
        "keep": 1,
        "out": {"html": '<h1 id="ab">A b</h1>\n<h1 id="ab-1">A b</h1>\n<p>x … <code>y...</code></p>'},
    }
    to_md = {"html": "<h2>T</h2><ul><li>one</li><li><b>two</b></li></ul><p>see <a href='/x'>x</a></p>"}
    assert jsons(execute("markdown", 1, to_md, [{}]))[0]["data"] == "## T\n\n* one\n* **two**\n\nsee [x](/x)"
