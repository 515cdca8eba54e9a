"""The Python Code node's sandbox and API: real interpreter processes from a real pool."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from hive_core.errors import ExpressionError
from n8n_runtime.code_python import PythonCodePolicy, PythonPool, run_python_code
from n8n_runtime.expressions import ExpressionContext

ITEMS = [{"json": {"a": 1, "b": {"c": [1, 2]}}}, {"json": {"a": 2, "b": {"c": [3]}}}]
VARS_RUN = {
    "source": [None],
    "data": {"main": [[{"json": {"batchSize": "2"}}]]},
}
MIDDLE_RUN = {
    "source": [{"previousNode": "Vars", "previousNodeOutput": 0, "previousNodeRun": 0}],
    "data": {
        "main": [
            [{"json": {"m": 0}, "pairedItem": {"item": 0}}, {"json": {"m": 1}, "pairedItem": {"item": 0}}]
        ]
    },
}


@pytest.fixture(scope="module")
def pool() -> Iterator[PythonPool]:
    pool = PythonPool(
        PythonCodePolicy(stdlib_allow=["uuid", "collections", "os", "json", "asyncio"], pool_size=1)
    )
    yield pool
    pool.close()


def _ctx(items: list[dict[str, Any]] | None = None, **extra: Any) -> ExpressionContext:
    inputs = [dict(i, pairedItem={"item": n}) for n, i in enumerate(items if items is not None else ITEMS)]
    return ExpressionContext(
        node_name="Py",
        node_type="n8n-nodes-base.code",
        inputs=[inputs],
        source=[{"previousNode": "Middle", "previousNodeOutput": 0, "previousNodeRun": 0}],
        workflow_nodes={"Py": {}, "Middle": {}, "Vars": {"parameters": {"x": 1}}},
        run_data={"Vars": [VARS_RUN], "Middle": [MIDDLE_RUN]},
        workflow={"id": "wf1", "name": "Flow", "active": False},
        execution_id="ex1",
        env={"GREETING": "hi"},
        now_ms=1_700_000_000_000,
        timezone="UTC",
        **extra,
    )


def _run(pool: PythonPool, code: str, **options: Any) -> list[dict[str, Any]]:
    items, _logs = run_python_code(pool, _ctx(), code, **options)
    return items


def _error(pool: PythonPool, code: str, **options: Any) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        run_python_code(pool, _ctx(), code, **options)
    return caught.value


# ------------------------------------------------------------------------------ n8n's Pyodide API


def test_items_read_as_attributes_and_keys_with_to_py(pool: PythonPool) -> None:
    code = (
        "return [{'s': i.json.a + i.json['a'], 'c': i.json.b.c.to_py(), 'n': len(items)}"
        " for i in _input.all()]"
    )
    assert _run(pool, code) == [
        {"json": {"s": 2, "c": [1, 2], "n": 2}, "pairedItem": {"item": 0}},
        {"json": {"s": 4, "c": [3], "n": 2}, "pairedItem": {"item": 1}},
    ]


def test_input_first_last_item_and_other_nodes(pool: PythonPool) -> None:
    code = (
        "return {'first': _input.first().json.a, 'last': _input.last()['json']['a'],"
        " 'item': _input.item.json.a,"
        " 'bs': int(_('Vars').first()['json']['batchSize']), 'all': len(_('Middle').all()),"
        " 'executed': _('Vars').isExecuted, 'param': _('Vars').params.x, 'j': _json.a}"
    )
    [item] = _run(pool, code)
    assert item["json"] == {
        "first": 1,
        "last": 2,
        "item": 1,
        "bs": 2,
        "all": 2,
        "executed": True,
        "param": 1,
        "j": 1,
    }


def test_paired_item_walks_back_through_the_nodes_between(pool: PythonPool) -> None:
    code = "return {'m': _('Middle').item.json.m, 'v': _('Vars').item.json.batchSize}"
    out = _run(pool, code, mode="runOnceForEachItem")
    assert [i["json"] for i in out] == [{"m": 0, "v": "2"}, {"m": 1, "v": "2"}]


def test_workflow_execution_env_dates_and_jmespath(pool: PythonPool) -> None:
    code = (
        "return {'wf': _workflow.name, 'ex': _execution.id, 'env': _env.GREETING, 'now': _now.toISO(),"
        " 'today': _today.toISODate(), 'year': _now.year, 'q': _jmespath(_input.first().json, 'b.c[1]')}"
    )
    [item] = _run(pool, code)
    assert item["json"] == {
        "wf": "Flow",
        "ex": "ex1",
        "env": "hi",
        "now": "2023-11-14T22:13:20.000Z",
        "today": "2023-11-14",
        "year": 2023,
        "q": 2,
    }


def test_each_item_mode_has_item_and_json_and_pairs_by_index(pool: PythonPool) -> None:
    out = _run(pool, "item.json.doubled = _json.a * 2\nreturn item", mode="runOnceForEachItem")
    assert out == [
        {"json": {"a": 1, "b": {"c": [1, 2]}, "doubled": 2}, "pairedItem": {"item": 0}},
        {"json": {"a": 2, "b": {"c": [3]}, "doubled": 4}, "pairedItem": {"item": 1}},
    ]


def test_await_works_at_the_top_level(pool: PythonPool) -> None:
    assert _run(pool, "import asyncio\nawait asyncio.sleep(0)\nreturn [{'ok': True}]")[0]["json"] == {
        "ok": True
    }


def test_print_is_captured_line_by_line(pool: PythonPool) -> None:
    items, logs = run_python_code(pool, _ctx(), "print('one', 1)\nprint('two\\nthree')\nreturn []")
    assert items == []
    assert [(line.level, line.message) for line in logs] == [
        ("log", "one 1"),
        ("log", "two"),
        ("log", "three"),
    ]


# ------------------------------------------------------------------------------ n8n's native runner API


def test_native_items_are_plain_dicts(pool: PythonPool) -> None:
    out = _run(pool, "return [{'a': i['json']['a']} for i in _items]", language="pythonNative")
    assert [i["json"]["a"] for i in out] == [1, 2]
    error = _error(pool, "return _items[0].json", language="pythonNative")
    assert "AttributeError" in error.details["n8n_message"]


def test_native_each_item_skips_none(pool: PythonPool) -> None:
    code = "if _item['json']['a'] == 1:\n  return None\nreturn {'a': _item['json']['a']}"
    assert _run(pool, code, mode="runOnceForEachItem", language="pythonNative") == [
        {"json": {"a": 2}, "pairedItem": {"item": 1}}
    ]
    assert "NameError" in _error(pool, "return _input.all()", language="pythonNative").details["n8n_message"]


# ------------------------------------------------------------------------------ n8n's output rules


def test_plain_dicts_are_wrapped_and_items_kept(pool: PythonPool) -> None:
    assert _run(pool, "return {'x': 1}") == [{"json": {"x": 1}}]
    assert _run(pool, "return [{'json': {'x': 1}, 'pairedItem': {'item': 1}}]") == [
        {"json": {"x": 1}, "pairedItem": {"item": 1}}
    ]
    # Tuples and sets become lists, as Pyodide's toJs makes arrays of them.
    assert _run(pool, "return [{'t': (1, 2)}]")[0]["json"] == {"t": [1, 2]}


@pytest.mark.parametrize(
    ("code", "mode", "message"),
    [
        ("return 5", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return None", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return [1]", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return [{'json': {}}, {'x': 1}]", "runOnceForAllItems", "Unknown top-level item key: x [item 1]"),
        ("return [{'json': {}, 'x': 1}]", "runOnceForAllItems", "Invalid output format [item 0]"),
        ("return {'json': 1}", "runOnceForAllItems", "A 'json' property isn't a dictionary [item 0]"),
        ("return [{'a': 1}]", "runOnceForEachItem", "Code doesn't return a single dictionary [item 0]"),
        ("return 'x'", "runOnceForEachItem", "Code doesn't return a dictionary [item 0]"),
    ],
)
def test_rejected_results_use_n8n_wording(pool: PythonPool, code: str, mode: str, message: str) -> None:
    assert _error(pool, code, mode=mode).details["n8n_message"] == message


def test_exception_names_type_line_and_item(pool: PythonPool) -> None:
    error = _error(pool, "x = 1\nraise ValueError('bad')")
    assert error.details["n8n_message"] == "ValueError: bad [line 2]"
    assert "node 'Py'" in error.message
    each = _error(pool, "\n\nreturn {'v': 1 / 0}", mode="runOnceForEachItem")
    assert each.details["n8n_message"] == "ZeroDivisionError: division by zero [line 3, for item 0]"
    syntax = _error(pool, "def f(:\n  pass")
    assert (
        syntax.details["n8n_message"].startswith("SyntaxError")
        and "[line 1]" in syntax.details["n8n_message"]
    )
    missing = _error(pool, "return _('Nope').all()")
    assert "Referenced node doesn't exist" in missing.details["n8n_message"]


def test_continue_on_fail_turns_errors_into_items(pool: PythonPool) -> None:
    out = _run(pool, "if _json.a == 1:\n  raise ValueError('x')\nreturn {'ok': 1}", mode="runOnceForEachItem",
               continue_on_fail=True)  # fmt: skip
    assert out == [
        {"json": {"error": "ValueError: x [line 2, for item 0]"}, "pairedItem": {"item": 0}},
        {"json": {"ok": 1}, "pairedItem": {"item": 1}},
    ]
    # All items: one error item, paired by n8n's engine rule (here two inputs, one output: none).
    assert _run(pool, "return 5", continue_on_fail=True) == [
        {"json": {"error": "Code doesn't return items properly"}}
    ]


# ------------------------------------------------------------------------------ isolation


def test_imports_follow_the_allowlists_with_n8n_messages() -> None:
    strict = PythonPool(PythonCodePolicy(pool_size=0))
    try:
        error = _error(strict, "import json\nreturn []")
        assert error.details["n8n_message"] == "Security violations detected"
        assert error.details["description"] == (
            "Line 1: Import of standard library module 'json' is disallowed. Allowed stdlib modules: none"
        )
        external = _error(strict, "\nimport numpy as np")
        assert "Line 2: Import of external package 'numpy' is disallowed" in external.details["description"]
    finally:
        strict.close()


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("return [{'x': ().__class__.__bases__}]", "Access to attribute '__class__' is disallowed"),
        ("m = __import__('subprocess')", "Import of standard library module 'subprocess' is disallowed"),
        ("name = 'o' + 's'\nm = __import__(name)", "Dynamic __import__() calls are not allowed"),
        ("return [{'b': __builtins__}]", "Access to name '__builtins__' is disallowed"),
    ],
)
def test_escapes_are_security_violations(pool: PythonPool, code: str, fragment: str) -> None:
    error = _error(pool, code)
    assert fragment in (error.details["description"] or ""), error.details


def test_denied_builtins_are_absent(pool: PythonPool) -> None:
    for builtin in ("open", "eval", "exec", "getattr"):
        error = _error(pool, f"return [{{'f': {builtin}}}]")
        assert error.details["n8n_message"] == f"NameError: name '{builtin}' is not defined [line 1]"


def test_code_runs_in_another_process_with_an_empty_environment(pool: PythonPool) -> None:
    out = _run(pool, "import os\nreturn [{'pid': os.getpid(), 'env': len(os.environ), 'cwd': os.getcwd()}]")
    assert out[0]["json"]["pid"] != os.getpid()
    assert out[0]["json"]["env"] == 0
    assert out[0]["json"]["cwd"] != os.getcwd()


def test_runaway_code_is_killed_at_the_time_limit() -> None:
    quick = PythonPool(PythonCodePolicy(task_timeout_s=1, pool_size=0))
    try:
        error = _error(quick, "while True:\n  pass")
        assert error.details["n8n_message"] == "Task execution timed out after 1 seconds"
    finally:
        quick.close()


def test_memory_is_limited() -> None:
    small = PythonPool(PythonCodePolicy(memory_mb=256, pool_size=0))
    try:
        error = _error(small, "x = 'a' * (1024 * 1024 * 1024)\nreturn []")
        assert "MemoryError" in error.details["n8n_message"]
    finally:
        small.close()


def test_wildcard_must_stand_alone() -> None:
    with pytest.raises(ValidationError, match="must be used alone"):
        PythonCodePolicy(stdlib_allow=["*", "json"])
