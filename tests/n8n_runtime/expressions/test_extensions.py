"""n8n's data transformation functions (string/array/object/number/boolean extensions)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.expressions import ExpressionEngine
from n8n_runtime.expressions._extcalls import EXTENSION_NAMES, rewrite_extension_calls
from tests.n8n_runtime.expressions.support import ev


def test_python_and_js_extension_names_agree(engine: ExpressionEngine) -> None:
    assert set(ev(engine, "={{ __hive.extensionNames }}")) == EXTENSION_NAMES


def test_only_calls_are_rewritten() -> None:
    assert rewrite_extension_calls("a.keys()") == "a[__hx.keys]()"
    assert rewrite_extension_calls("a?.isEmpty()") == "a?.[__hx.isEmpty]()"
    assert rewrite_extension_calls("a.keys + 'x.keys()'") == "a.keys + 'x.keys()'"
    assert rewrite_extension_calls("a.toUpperCase()") == "a.toUpperCase()"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("''.isEmpty()", True),
        ("'a'.isNotEmpty()", True),
        ("'  '.isBlank()", True),
        ("'42'.toInt()", 42),
        ("'$1,5'.toInt()", 1),
        ("'3.14'.toFloat()", 3.14),
        ("'12'.toNumber()", 12),
        ("'10'.toWholeNumber()", 10),
        ("'hi'.length()", 2),
        ("'Mail me: a.b@example.com now'.extractEmail()", "a.b@example.com"),
        ("'a.b@example.com'.extractDomain()", "example.com"),
        ("'https://www.n8n.io/path?x=1'.extractDomain()", "www.n8n.io"),
        ("'see https://n8n.io/docs for more'.extractUrl()", "https://n8n.io/docs"),
        ("'https://n8n.io/a/b?c'.extractUrlPath()", "/a/b"),
        ("['a@b.co', 'not an email'].map(s => s.isEmail())", [True, False]),
        ("['https://n8n.io', 'n8n.io'].map(s => s.isUrl())", [True, False]),
        ("['12.5', '1 2', 'x'].map(s => s.isNumeric())", [True, False, False]),
        ("'the lord of the rings'.toTitleCase()", "The Lord of the Rings"),
        ("'hello WORLD. how are you?'.toSentenceCase()", "Hello world. How are you?"),
        ("'Hello World-Again'.toSnakeCase()", "hello_world_again"),
        ("'# Title\\n**bold** and [link](http://x)'.removeMarkdown()", "Title\nbold and link"),
        ("'<p>hi <b>there</b></p>'.removeTags()", "hi there"),
        ("'a b&c'.urlEncode()", "a%20b%26c"),
        ("'a%20b'.urlDecode()", "a b"),
        ("'héllo'.base64Encode()", "aMOpbGxv"),
        ("'aMOpbGxv'.base64Decode()", "héllo"),
        ("'say \"hi\"'.quote()", '"say \\"hi\\""'),
        ("'Crème brûlée'.replaceSpecialChars()", "Creme brulee"),
        ("'{\"a\": [1]}'.parseJson()", {"a": [1]}),
        ("['true', 'no', '0', 'x', ''].map(s => s.toBoolean())", [True, False, False, True, False]),
        ("'x'.toJsonString()", '"x"'),
        ("'abc'.hash('base64')", "YWJj"),
    ],
)
def test_string_extensions(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"])
def test_hashes_match_hashlib(engine: ExpressionEngine, algorithm: str) -> None:
    text = "Hive ✓ " * 20
    assert (
        ev(engine, f"={{{{ $json.t.hash('{algorithm}') }}}}", [{"t": text}])
        == hashlib.new(algorithm, text.encode()).hexdigest()
    )
    assert ev(engine, "={{ 'abc'.hash() }}") == hashlib.md5(b"abc").hexdigest()  # noqa: S324 - n8n's default


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("[1, 2, 3].first()", 1),
        ("[1, 2, 3].last()", 3),
        ("[].isEmpty()", True),
        ("[1].isNotEmpty()", True),
        ("[{a: 1, b: 2}, {a: 3}, 'x'].pluck('a')", [1, 3]),
        ("[{a: 1, b: 2}].pluck('a', 'b')", [[1, 2]]),
        ("[1, 1, {a: 1}, {a: 1}, 2].unique()", [1, {"a": 1}, 2]),
        ("[{a: 1, b: 1}, {a: 1, b: 2}].removeDuplicates('a')", [{"a": 1, "b": 1}]),
        ("[1, 2, 3.5].sum()", 6.5),
        ("[1, 2, 3].average()", 2),
        ("[].average()", 0),
        ("[4, 1, 9].min()", 1),
        ("[4, 1, 9].max()", 9),
        ("[1, 2, 3, 4, 5].chunk(2)", [[1, 2], [3, 4], [5]]),
        ("[0, null, '', 'nil', {}, {a: null, b: 1}, [1, '']].compact()", [0, {"b": 1}, [1]]),
        ("[{a: 1}, {b: 2}].merge()", {"a": 1, "b": 2}),
        ("[{a: 1}].merge([{a: 2, b: 3}])", {"a": 1, "b": 3}),
        ("[1, 2, 3].difference([2])", [1, 3]),
        ("[1, 2, 3].intersection([3, 2, 9])", [2, 3]),
        ("[1, 2].union([2, 3])", [1, 2, 3]),
        ("[{n: 'a', v: 1}, {n: 'b', v: 2}].smartJoin('n', 'v')", {"a": 1, "b": 2}),
        ("[{name: 'x'}].renameKeys('name', 'title')", [{"title": "x"}]),
        ("[1].append(2, 3)", [1, 2, 3]),
        ("[1, 'a'].toJsonString()", '[1,"a"]'),
        ("[1, 2, 3].includes(2)", True),
        ("[3, 1, 2].keys().next().value", 0),
    ],
)
def test_array_extensions(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("({}).isEmpty()", True),
        ("({a: 1}).isNotEmpty()", True),
        ("({a: 1, b: 2}).keys()", ["a", "b"]),
        ("({a: 1, b: 2}).values()", [1, 2]),
        ("({a: 1}).hasField('a')", True),
        ("({a: 1, b: 2}).removeField('a')", {"b": 2}),
        ("({a: 'Mr X', b: 'y', c: 3}).removeFieldsContaining('X')", {"b": "y", "c": 3}),
        ("({a: 'Mr X', b: 'y', c: 3}).keepFieldsContaining('X')", {"a": "Mr X"}),
        # Like n8n: emptiness is checked before the nested object is compacted.
        ("({a: null, b: 1, c: '', d: {e: null}}).compact()", {"b": 1, "d": {}}),
        ("({name: 'Mr N', city: 'hanoi'}).urlEncode()", "name=Mr+N&city=hanoi"),
        ("({a: 1}).merge({a: 2, b: 2})", {"a": 1, "b": 2}),
        ("({a: 1}).toJsonString()", '{"a":1}'),
        # A field that happens to carry an extension's name is still just a field.
        ("({values: [1]}).values", [1]),
        ("({keys: 'k'}).keys", "k"),
        ("typeof ({}).values", "undefined"),
        ("Object.keys({a: 1})", ["a"]),
        ("Math.max(1, 7)", 7),
    ],
)
def test_object_extensions(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("(1.256).round(2)", 1.26),
        ("(1.5).round()", 2),
        ("(1.9).floor()", 1),
        ("(1.1).ceil()", 2),
        ("(-3).abs()", 3),
        ("(4).isEven()", True),
        ("(-3).isOdd()", True),
        ("(4.5).isInteger()", False),
        ("(0).toBoolean()", False),
        ("(1234567.891).format('de-DE')", "1.234.567,891"),
        ("(12.5).format('en-US', {style: 'currency', currency: 'EUR'})", "€12.50"),
        ("(1.7).toInt()", 2),
        ("true.toInt()", 1),
        ("false.toNumber()", 0),
    ],
)
def test_number_and_boolean_extensions(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


def test_extension_errors(engine: ExpressionEngine) -> None:
    with pytest.raises(ExpressionError, match="cannot convert to integer"):
        ev(engine, "={{ 'abc'.toInt() }}")
    with pytest.raises(ExpressionError, match="isEven\\(\\) is only callable on integers"):
        ev(engine, "={{ (1.5).isEven() }}")
    with pytest.raises(ExpressionError, match='removeTags\\(\\) is only callable on type "String"'):
        ev(engine, "={{ (5).removeTags() }}")
    with pytest.raises(ExpressionError, match="sum\\(\\): all array elements must be numbers"):
        ev(engine, "={{ [1, 'a'].sum() }}")


def test_extensions_do_not_leak_into_json(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ Object.keys($json) }}", [{"a": 1}]) == ["a"]
    assert ev(
        engine, "={{ (() => { const k = []; for (const x in $json) k.push(x); return k; })() }}", [{"a": 1}]
    ) == ["a"]
