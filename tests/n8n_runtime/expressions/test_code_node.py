"""The Code node (and the legacy Function / Function Item nodes)."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.code_node import ConsoleLine, run_code, run_code_node
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine
from tests.n8n_runtime.expressions.support import make_ctx

ITEMS = [{"value": 1}, {"value": 2}]


def code_ctx(items: list[dict[str, Any]] | None = None, **kwargs: Any) -> ExpressionContext:
    kwargs.setdefault("node_type", "n8n-nodes-base.code")
    return make_ctx(items if items is not None else ITEMS, node_name="Code", **kwargs)


def run(
    engine: ExpressionEngine, source: str, items: list[dict[str, Any]] | None = None, **kwargs: Any
) -> Any:
    return run_code(engine, code_ctx(items), source, **kwargs)[0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "return [{a: 1}, {a: 2}]",
            [{"json": {"a": 1}, "pairedItem": {"item": 0}}, {"json": {"a": 2}, "pairedItem": {"item": 1}}],
        ),
        ("return {a: 1}", [{"json": {"a": 1}}]),
        ("return {json: {a: 1}}", [{"json": {"a": 1}}]),
        ("return [{json: {a: 1}, pairedItem: 1}]", [{"json": {"a": 1}, "pairedItem": 1}]),
        ("return null", []),
        ("return []", []),
        (
            "return items",
            [
                {"json": {"value": 1}, "pairedItem": {"item": 0}},
                {"json": {"value": 2}, "pairedItem": {"item": 1}},
            ],
        ),
        (
            "return $input.all().map(i => ({json: {v: i.json.value * 10}}))",
            [
                {"json": {"v": 10}, "pairedItem": {"item": 0}},
                {"json": {"v": 20}, "pairedItem": {"item": 1}},
            ],
        ),
        (
            "return [{when: new Date(0), dt: DateTime.fromMillis(0, {zone: 'UTC'}), gone: undefined}]",
            [{"json": {"when": "1970-01-01T00:00:00.000Z", "dt": "1970-01-01T00:00:00.000Z"}}],
        ),
        (
            "return [{binary: {f: {data: 'aGk=', mimeType: 'text/plain'}}}]",
            [{"json": {}, "binary": {"f": {"data": "aGk=", "mimeType": "text/plain"}}}],
        ),
    ],
)
def test_run_once_for_all_items(
    engine: ExpressionEngine, source: str, expected: list[dict[str, Any]]
) -> None:
    out = run(engine, source)
    # pairedItem as n8n assigns it: by position when counts match; otherwise left unset.
    assert out == expected


def test_single_input_item_pairs_every_output_with_it(engine: ExpressionEngine) -> None:
    out = run(engine, "return [{a: 1}, {a: 2}, {a: 3}]", [{}])
    assert [i["pairedItem"] for i in out] == [{"item": 0}] * 3


def test_run_once_for_each_item(engine: ExpressionEngine) -> None:
    source = "$input.item.json.double = $json.value * 2; return $input.item;"
    out = run(engine, source, mode="runOnceForEachItem")
    assert out == [
        {"json": {"value": 1, "double": 2}, "pairedItem": {"item": 0}},
        {"json": {"value": 2, "double": 4}, "pairedItem": {"item": 1}},
    ]
    # Plain objects are wrapped; null/undefined skip the item.
    out = run(engine, "if ($json.value === 1) return; return {v: $itemIndex}", mode="runOnceForEachItem")
    assert out == [{"json": {"v": 1}, "pairedItem": {"item": 1}}]


def test_async_code_and_virtual_timers(engine: ExpressionEngine) -> None:
    source = """
    const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const before = Date.now();
    await wait(1500);
    const values = await Promise.all(items.map(async (i) => { await wait(10); return i.json.value; }));
    return [{elapsed: Date.now() - before, values, later: await (async () => 'done')()}];
    """
    assert run(engine, source)[0]["json"] == {"elapsed": 1510, "values": [1, 2], "later": "done"}
    assert run(engine, "return new Promise((resolve) => resolve([{p: 1}]))")[0]["json"] == {"p": 1}


def test_console_is_captured(engine: ExpressionEngine) -> None:
    ctx = code_ctx()
    _, logs = run_code(
        engine,
        ctx,
        "console.log('hi', {a: 1}, [2]); console.info(3); console.warn('w'); "
        "console.error(new TypeError('bad')); return []",
    )
    assert logs == [
        ConsoleLine("log", 'hi {"a":1} [2]'),
        ConsoleLine("info", "3"),
        ConsoleLine("warn", "w"),
        ConsoleLine("error", "TypeError: bad"),
    ]


@pytest.mark.parametrize(
    ("source", "mode", "message"),
    [
        ("return 'x'", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return [1, 2]", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return", "runOnceForAllItems", "Code doesn't return items properly"),
        ('return {json: "test"}', "runOnceForAllItems", r"A 'json' property isn't an object \[item 0\]"),
        ("return [{json: {}, extra: 1}]", "runOnceForAllItems", r"Invalid output format \[item 0\]"),
        ("return [{json: {}}, {a: 1}]", "runOnceForAllItems", r"Unknown top-level item key: a \[item 1\]"),
        ("return [{binary: {}, a: 1}]", "runOnceForAllItems", r"Invalid output format \[item 0\]"),
        ("return 'x'", "runOnceForEachItem", r"A 'json' property isn't an object \[item 0\]"),
        ("return [{a: 1}]", "runOnceForEachItem", r"A 'json' property isn't an object \[item 0\]"),
        (
            "const all = $input.all();\nreturn all[0]",
            "runOnceForEachItem",
            r"Can't use \.all\(\) here \[line 1, for item 0\]",
        ),
    ],
)
def test_bad_return_shapes(engine: ExpressionEngine, source: str, mode: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message) as info:
        run(engine, source, mode=mode)
    assert info.value.details["node"] == "Code"


def test_errors_carry_n8n_line_numbers(engine: ExpressionEngine) -> None:
    with pytest.raises(ExpressionError) as info:
        run(engine, "const a = 1;\n\nthrow new Error('simulated error, count = ' + a)")
    assert info.value.details["n8n_message"] == "simulated error, count = 1 [line 3]"
    assert info.value.message == "simulated error, count = 1 [line 3] [node 'Code']"
    source = (
        "// comment\n$input.item.json.x = 1;\nif ($json.value === 2) {\n"
        "  throw new Error('This is an error');\n}\nreturn $input.item;"
    )
    with pytest.raises(ExpressionError) as info:
        run(engine, source, mode="runOnceForEachItem")
    assert info.value.details["n8n_message"] == "This is an error [line 4, for item 1]"
    with pytest.raises(ExpressionError) as info:
        run(engine, "const x = null;\nreturn x.y")
    assert info.value.details["n8n_message"] == "Cannot read properties of null (reading 'y') [line 2]"
    assert info.value.details["description"] == "TypeError"
    with pytest.raises(ExpressionError, match=r"Unexpected identifier 'c' \[line 2\]"):
        run(engine, "let a = 1\nlet b c")
    with pytest.raises(ExpressionError, match=r"Unknown error: \"oops\""):
        run(engine, "throw 'oops'")


def test_continue_on_fail(engine: ExpressionEngine) -> None:
    source = "if ($json.value === 1) throw new Error('bad item');\nreturn $input.item"
    out = run(engine, source, mode="runOnceForEachItem", continue_on_fail=True)
    assert out == [
        {"json": {"error": "bad item [line 1, for item 0]"}, "pairedItem": {"item": 0}},
        {"json": {"value": 2}, "pairedItem": {"item": 1}},
    ]
    assert run(engine, "throw new Error('all bad')", continue_on_fail=True) == [
        {"json": {"error": "all bad [line 1]"}}
    ]


def test_continue_on_fail_turns_rejected_results_into_error_items(engine: ExpressionEngine) -> None:
    # n8n's Code node catches its own validation errors too (workflow.do_not_obfuscate_validation_error).
    assert run(engine, 'return {json: "test"}', [{}], continue_on_fail=True) == [
        {"json": {"error": "A 'json' property isn't an object [item 0]"}, "pairedItem": {"item": 0}}
    ]
    assert run(
        engine,
        "return $json.value === 1 ? 'x' : $input.item",
        mode="runOnceForEachItem",
        continue_on_fail=True,
    ) == [
        {"json": {"error": "A 'json' property isn't an object [item 0]"}, "pairedItem": {"item": 0}},
        {"json": {"value": 2}, "pairedItem": {"item": 1}},
    ]


def test_custom_and_static_data(engine: ExpressionEngine) -> None:
    ctx = code_ctx(custom_data={"count": "1"}, static_data={"global": {"runs": 1}})
    source = """
    const count = +$execution.customData.get('count');
    $execution.customData.set('count', `${count + 1}`);
    const g = $getWorkflowStaticData('global');
    g.runs += 1;
    getWorkflowStaticData('node').seen = true;
    return [{count}];
    """
    out, _ = run_code(engine, ctx, source)
    assert out[0]["json"] == {"count": 1}
    assert ctx.custom_data == {"count": "2"}
    assert ctx.static_data == {"global": {"runs": 2}, "node": {"seen": True}}


def test_code_reads_other_nodes_even_when_it_catches_errors(engine: ExpressionEngine) -> None:
    run_data = {
        "Some Operation": [
            {"source": [], "data": {"main": [[{"json": {"run": 0}}]]}},
            {"source": [], "data": {"main": [[{"json": {"run": 1}}]]}},
        ]
    }
    # The node name is computed, so it is pushed on demand even though the code catches errors.
    source = """
    const name = ['Some', 'Operation'].join(' ');
    let results = [], i = 0;
    do {
      try { results = results.concat($(name).all(0, i)); } catch (error) { return results; }
      i++;
    } while (true);
    """
    ctx = code_ctx(run_data=run_data)
    out, _ = run_code(engine, ctx, source)
    assert [i["json"] for i in out] == [{"run": 0}, {"run": 1}]


def test_legacy_function_node(engine: ExpressionEngine) -> None:
    ctx = code_ctx(
        node_type="n8n-nodes-base.function",
        node_parameters={
            "functionCode": "testData = items.length;\nitems[0].json.n = testData;\nreturn items;"
        },
    )
    out, _ = run_code_node(engine, ctx)
    assert [i["json"] for i in out] == [{"value": 1, "n": 2}, {"value": 2}]


def function_ctx(code: str) -> ExpressionContext:
    return code_ctx(node_type="n8n-nodes-base.function", node_parameters={"functionCode": code})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # The Function node runs n8n's normalizeItems on what the code returns.
        ("return [{a: 1}, {a: 2}]", [{"a": 1}, {"a": 2}]),
        ("return {a: 1}", [{"a": 1}]),
        ("return {json: {a: 1}}", [{"a": 1}]),
        ("return [{binary: {}, a: 1}]", [{"a": 1}]),
        ("return []", []),
    ],
)
def test_legacy_function_node_normalizes_items(
    engine: ExpressionEngine, source: str, expected: list[dict[str, Any]]
) -> None:
    out, _ = run_code_node(engine, function_ctx(source))
    assert [i["json"] for i in out] == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("return [{json: 1}]", "The json-property has to be an object!"),
        ("return [{json: {}, binary: 'x'}]", "The binary-property has to be an object!"),
        ("return [{json: {}}, {a: 1}]", "Inconsistent item format"),
        ("return 'x'", "executionData.every is not a function"),
        ("return null", "Cannot read properties of null (reading 'json')"),
        ("items[0].json.x = 1", "Cannot read properties of undefined (reading 'every')"),
    ],
)
def test_legacy_function_node_rejections(engine: ExpressionEngine, source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        run_code_node(engine, function_ctx(source))
    assert info.value.details["n8n_message"] == message
    # With "continue on fail" the Function node outputs the message instead.
    out, _ = run_code_node(engine, function_ctx(source), continue_on_fail=True)
    assert [i["json"] for i in out] == [{"error": message}]


def test_legacy_function_item_node(engine: ExpressionEngine) -> None:
    items: list[dict[str, Any]] = [
        {"json": {"value": 1}, "binary": {"data": {"data": "aGk=", "mimeType": "text/plain"}}},
        {"json": {"value": 2}},
    ]
    source = "item.double = item.value * 2;\n"
    source += "if (!getBinaryData()) setBinaryData({f: {data: 'eA=='}});\nreturn item;"
    ctx = code_ctx(items, node_type="n8n-nodes-base.functionItem", node_parameters={"functionCode": source})
    out, _ = run_code_node(engine, ctx)
    assert out == [
        {
            "json": {"value": 1, "double": 2},
            "pairedItem": {"item": 0},
            "binary": {"data": {"data": "aGk=", "mimeType": "text/plain"}},
        },
        {"json": {"value": 2, "double": 4}, "pairedItem": {"item": 1}, "binary": {"f": {"data": "eA=="}}},
    ]


def test_buffer_btoa_and_text_encoding(engine: ExpressionEngine) -> None:
    source = """
    return [{
      b64: Buffer.from('héllo').toString('base64'),
      back: Buffer.from('aMOpbGxv', 'base64').toString(),
      hex: Buffer.from('hi').toString('hex'),
      btoa: btoa('hi'), atob: atob('aGk='),
      bytes: Array.from(new TextEncoder().encode('é')),
    }]
    """
    assert run(engine, source)[0]["json"] == {
        "b64": "aMOpbGxv",
        "back": "héllo",
        "hex": "6869",
        "btoa": "aGk=",
        "atob": "hi",
        "bytes": [195, 169],
    }
