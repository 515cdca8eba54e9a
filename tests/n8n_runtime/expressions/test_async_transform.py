"""The async/await → generator rewrite (pure Python) and its behaviour on V8."""

from __future__ import annotations

import pytest

from n8n_runtime.code_node import run_code
from n8n_runtime.expressions import ExpressionEngine
from n8n_runtime.expressions._async import AsyncTransformError, needs_async_transform, transform_async
from tests.n8n_runtime.expressions.support import ev, make_ctx


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = await f(1) + 1", "x = (yield  f(1)) + 1"),
        ("await await y", "(yield  (yield  y))"),
        ("a = typeof await q.r[1](2)", "a = typeof (yield  q.r[1](2))"),
        ("a = `${await b}`", "a = `${(yield  b)}`"),
        ("obj.await = 1; const {await: w} = o", "obj.await = 1; const {await: w} = o"),
        (
            "async function f(a) { return await a }",
            " function f(a) { return __hive_co(function* () { return (yield  a) }, this, arguments); }",
        ),
        ("const f = async x => x * 2", "const f =  x => __hive_co(function* () { return (x * 2); }, this)"),
        (
            "const f = async () => { await 1 }",
            "const f =  () => __hive_co(function* () { (yield  1) }, this)",
        ),
        (
            "o = { async m() { await 1 } }",
            "o = {  m() { return __hive_co(function* () { (yield  1) }, this, arguments); } }",
        ),
        ("f(async)", "f(async)"),
    ],
)
def test_rewrites(source: str, expected: str) -> None:
    assert transform_async(source, top_level_await=True) == expected


def test_line_numbers_are_preserved() -> None:
    source = "const a = 1\nconst f = async (x) =>\n  await x\nreturn await f(a)\n"
    assert transform_async(source, top_level_await=True).count("\n") == source.count("\n")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("for await (const x of y) {}", "for await"),
        ("async function* g() {}", "async generator"),
        ("const o = { async *g() {} }", "async generator"),
        ("import('fs')", r"import\(\)"),
    ],
)
def test_unsupported_syntax(source: str, message: str) -> None:
    with pytest.raises(AsyncTransformError, match=message):
        transform_async(source, top_level_await=True)


def test_top_level_await_only_where_allowed() -> None:
    with pytest.raises(AsyncTransformError, match="only valid in async functions"):
        transform_async("await 1", top_level_await=False)
    assert transform_async("(async () => await 1)()", top_level_await=False)


def test_detection_ignores_strings_and_comments() -> None:
    assert not needs_async_transform("const s = 'await me' // async")
    assert needs_async_transform("await x")


def test_async_in_expressions(engine: ExpressionEngine) -> None:
    # n8n returns the promise object itself from an expression; it serialises as {}.
    assert ev(engine, "={{ (async () => 1)() }}") == {}
    assert ev(engine, "={{ [1, 2].map(async (x) => x).length }}") == 2


def test_generated_code_runs(engine: ExpressionEngine) -> None:
    source = """
    class Box { constructor(v) { this.v = v; } async get() { return await this.v; } }
    async function twice(x) { return (await x) * 2; }
    const arrow = async x => await twice(x) + 1;
    const results = await Promise.allSettled([arrow(1), Promise.reject(new Error('no'))]);
    let caught = null;
    try { await Promise.reject(new TypeError('boom')); } catch (e) { caught = e.message; }
    const settled = results.map(r => r.status);
    return [{box: await new Box(5).get(), arrow: await arrow(2), settled, caught}];
    """
    out, _ = run_code(engine, make_ctx([{}], node_name="Code", node_type="n8n-nodes-base.code"), source)
    assert out[0]["json"] == {"box": 5, "arrow": 5, "settled": ["fulfilled", "rejected"], "caught": "boom"}
