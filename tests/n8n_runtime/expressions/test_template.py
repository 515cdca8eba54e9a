"""Template splitting/compilation (pure Python) and template semantics on V8."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.expressions import ExpressionEngine
from n8n_runtime.expressions._template import Chunk, compile_template, split_template
from tests.n8n_runtime.expressions.support import ev, make_ctx


@pytest.mark.parametrize(
    ("body", "chunks"),
    [
        ("plain", [Chunk("text", "plain")]),
        ("{{ $json.a }}", [Chunk("text", ""), Chunk("code", " $json.a ")]),
        ("a {{ 1 }} b", [Chunk("text", "a "), Chunk("code", " 1 "), Chunk("text", " b")]),
        ("{{ {a: {b: 1}} }}", [Chunk("text", ""), Chunk("code", " {a: {b: 1}} ")]),
        (
            '{{ "}}" + `}}${"x"}` }}!',
            [Chunk("text", ""), Chunk("code", ' "}}" + `}}${"x"}` '), Chunk("text", "!")],
        ),
        ("{{ /}}/.test(x) }}", [Chunk("text", ""), Chunk("code", " /}}/.test(x) ")]),
        ("\\{{ not code }}", [Chunk("text", "\\{{ not code }}")]),
        ("{{ unclosed", [Chunk("text", ""), Chunk("code", " unclosed")]),
        ("", [Chunk("text", "")]),
    ],
)
def test_split_template(body: str, chunks: list[Chunk]) -> None:
    assert split_template(body) == chunks


def test_literal_templates_need_no_javascript() -> None:
    assert compile_template("=plain text").literal == "plain text"
    assert compile_template("=").literal == ""
    assert compile_template("={{ 1 }}").source is not None


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("={{ 1 + 1 }}", 2),
        ("={{ 'a' + 'b' }}", "ab"),
        ("={{ true }}", True),
        ("={{ null }}", None),
        ("={{ undefined }}", None),
        ("={{ [1, {a: 2}] }}", [1, {"a": 2}]),
        ("={{ { a: 1 } }}", {"a": 1}),
        ("={{ Math.min(1, 2); }}", 1),
        ("={{ $json.v // trailing comment }}", 5),
        ("={{ '}}' + 'x' }}", "}}x"),
        ("=literal", "literal"),
        ("=TRUE", "TRUE"),
        # Anything around the braces makes it a string, built like n8n's tmpl: falsy parts
        # except 0 and false vanish, objects are "[object Object]", arrays comma-joined.
        ("={{ 1 }} ", "1 "),
        ("=a{{ null }}b{{ undefined }}c{{ '' }}d", "abcd"),
        ("={{ 0 }}-{{ false }}", "0-false"),
        ("=x {{ {a: 1} }} {{ [1, 2] }}", "x [object Object] 1,2"),
        ("=A-{{ $runIndex }}-{{ $itemIndex }}", "A-0-0"),
        ("=https://x/{{ $json.v }}?q={{ $json.v * 2 }}", "https://x/5?q=10"),
    ],
)
def test_template_values(engine: ExpressionEngine, template: str, expected: Any) -> None:
    assert ev(engine, template, [{"v": 5}]) == expected


def test_non_templates_and_nested_params_resolve(engine: ExpressionEngine) -> None:
    ctx = make_ctx([{"name": "n", "v": 2}])
    params = {
        "plain": "no = sign",
        "number": 3,
        "list": ["={{ $json.v }}", "=literal", {"deep": "={{ $json.name }}!"}],
        "rl": {"__rl": True, "value": "={{ $json.name }}", "mode": "id"},
    }
    assert engine.resolve_parameters(params, ctx) == {
        "plain": "no = sign",
        "number": 3,
        "list": [2, "literal", {"deep": "n!"}],
        "rl": {"__rl": True, "value": "n", "mode": "id"},
    }


def test_dates_become_iso_strings(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ new Date(0) }}") == "1970-01-01T00:00:00.000Z"
    assert ev(engine, "={{ DateTime.fromMillis(0, {zone: 'UTC'}) }}") == "1970-01-01T00:00:00.000Z"
    assert ev(engine, "={{ {when: $now} }}") == {"when": "2023-11-14T17:13:20.000-05:00"}


def test_functions_are_rejected_like_n8n(engine: ExpressionEngine) -> None:
    with pytest.raises(ExpressionError, match=r"this is a function, please add \(\)"):
        ev(engine, "={{ $json.v.toFixed }}", [{"v": 1}])
    with pytest.raises(ExpressionError, match="this is a DateTime, please access its methods"):
        ev(engine, "={{ DateTime }}")


def test_syntax_errors_name_the_parameter(engine: ExpressionEngine) -> None:
    ctx = make_ctx([{}])
    with pytest.raises(ExpressionError) as info:
        engine.resolve_parameters({"assignments": [{"value": "={{ 1 + }}"}]}, ctx)
    assert "invalid syntax" in info.value.message
    assert info.value.details["parameter"] == "assignments[0].value"
    assert info.value.details["node"] == "Node"
