"""The sandbox, the time/memory limits, strict vs lenient errors, and determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.code_node import run_code
from n8n_runtime.expressions import ExpressionEngine
from tests.n8n_runtime.expressions.support import NOW_MS, ev, make_ctx

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def limited() -> Iterator[ExpressionEngine]:
    eng = ExpressionEngine(timeout_ms=200, memory_limit_mb=64)
    yield eng
    eng.close()


def code(engine: ExpressionEngine, source: str, items: list[dict[str, Any]] | None = None, **kw: Any) -> Any:
    ctx = make_ctx(items, node_name="Code", node_type="n8n-nodes-base.code", **kw)
    return run_code(engine, ctx, source)[0]


# ---------------------------------------------------------------------------- sandbox
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("return require('fs').readFileSync('/etc/passwd')", "Module 'fs' is disallowed"),
        ("return [{v: process.env.HOME}]", "process is not defined"),
        ("return globalThis.fetch('http://example.com')", "globalThis.fetch is not a function"),
        ("return fetch('http://example.com')", "fetch is not defined"),
        ("return import('fs')", r"import\(\) is not supported"),
        ("return eval('(async () => 1)()')", "not supported in eval"),
        ("return new Function('return (async () => 1)()')()", "not supported in eval"),
        ("return (function () {}).constructor('return (async () => 1)()')()", "not supported in eval"),
        ("for await (const x of []) {} return []", "`for await` loops are not supported"),
    ],
)
def test_sandbox_has_no_host_access(engine: ExpressionEngine, source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        code(engine, source)


def test_sandbox_globals(engine: ExpressionEngine) -> None:
    probe = (
        "={{ [typeof require, typeof process, typeof fetch, typeof WebAssembly, typeof Temporal, "
        "typeof module] }}"
    )
    assert ev(engine, probe) == ["undefined"] * 6
    assert ev(engine, "={{ Function('return this')().process }}") is None
    assert ev(engine, "={{ eval('1 + 1') }}") == 2


# ---------------------------------------------------------------------------- limits
def test_infinite_loop_times_out_and_names_the_parameter(limited: ExpressionEngine) -> None:
    ctx = make_ctx([{"a": 1}], node_name="Set")
    params = {"assignments": {"assignments": [{"value": "={{ (() => { while (true) {} })() }}"}]}}
    start = time.monotonic()
    with pytest.raises(ExpressionError) as info:
        limited.resolve_parameters(params, ctx)
    assert time.monotonic() - start < 2
    assert info.value.message == (
        "Expression in node 'Set' parameter 'assignments.assignments[0].value' exceeded 200 ms"
    )
    assert info.value.details["node"] == "Set"
    assert info.value.details["parameter"] == "assignments.assignments[0].value"
    assert ev(limited, "={{ $json.a + 1 }}", [{"a": 1}]) == 2


def test_memory_bomb_is_stopped() -> None:
    # A generous time limit: on a loaded machine the 200 ms one could fire before the memory one.
    engine = ExpressionEngine(timeout_ms=20_000, memory_limit_mb=64)
    bomb = "={{ (() => { const a = []; while (true) { a.push(new Array(1e6).fill(a.length)); } })() }}"
    try:
        with pytest.raises(ExpressionError, match=r"parameter 'value' exceeded the memory limit of 64 MB"):
            engine.resolve_parameters({"value": bomb}, make_ctx([{}], node_name="Set"))
        assert ev(engine, "={{ 'still ' + 'usable' }}") == "still usable"
    finally:
        engine.close()


def test_string_bomb_is_a_range_error(limited: ExpressionEngine) -> None:
    with pytest.raises(ExpressionError, match="RangeError: Invalid string length"):
        ev(limited, "={{ (() => { let s = 'x'; while (true) { s += s; } })() }}")


@pytest.mark.parametrize(
    "source",
    [
        "while (true) {}",
        "await 0; while (true) {}",
        "(async () => { await null; while (true) {} })(); return []",
        "Promise.resolve().then(() => { while (true) {} }); return []",
        "setTimeout(() => { while (true) {} }, 10); await new Promise((r) => setTimeout(r, 20)); return []",
    ],
)
def test_code_node_loops_time_out_even_after_await(limited: ExpressionEngine, source: str) -> None:
    with pytest.raises(ExpressionError, match="Code in node 'Code' exceeded 200 ms"):
        code(limited, source)
    assert code(limited, "return [{ok: true}]")[0]["json"] == {"ok": True}


def test_long_batches_are_split_not_killed(limited: ExpressionEngine) -> None:
    items = [{"i": i} for i in range(40)]
    ctx = make_ctx(items)
    busy = "={{ (() => { let x = 0; for (let i = 0; i < 3e6; i++) { x += i; } return $json.i; })() }}"
    assert limited.resolve_parameters_batch(busy, ctx) == list(range(40))


# ---------------------------------------------------------------------------- strict / lenient
def test_strict_errors_name_node_parameter_and_item(engine: ExpressionEngine) -> None:
    ctx = make_ctx([{"a": 1}, {}], node_name="Set")
    with pytest.raises(ExpressionError) as info:
        engine.resolve_parameters_batch({"v": "={{ $json.a.toFixed(1) }}"}, ctx)
    err = info.value
    assert err.details["n8n_message"] == "TypeError: Cannot read properties of undefined (reading 'toFixed')"
    assert err.details["item_index"] == 1
    assert err.message == (
        "TypeError: Cannot read properties of undefined (reading 'toFixed') "
        "[node 'Set', parameter 'v', item 1]"
    )
    with pytest.raises(ExpressionError, match="ReferenceError: foo is not defined"):
        ev(engine, "={{ foo }}")


def test_lenient_mode_matches_n8n_and_keeps_n8n_errors() -> None:
    with ExpressionEngine(lenient=True) as eng:
        assert ev(eng, "={{ foo }}") is None
        assert ev(eng, '={{ $json["contact"]["FirstName"] }}', [{"contact": None}]) is None
        assert ev(eng, "=a{{ $json.x.y }}b", [{}]) == "ab"
        with pytest.raises(ExpressionError, match="Referenced node doesn't exist"):
            ev(eng, "={{ $('Nope').item }}", workflow_nodes={"Node": {}})


def test_resolve_each_keeps_errors_per_item(engine: ExpressionEngine) -> None:
    ctx = make_ctx([{"a": {"b": 1}}, {}, {"a": {"b": 3}}])
    rows = engine.resolve_parameters_each("={{ $json.a.b }}", ctx)
    assert rows[0] == 1 and rows[2] == 3
    assert isinstance(rows[1], ExpressionError)


# ---------------------------------------------------------------------------- determinism
PROBE = (
    "={{ [Date.now(), new Date().getTime(), $now.toISO(), Math.random(), Math.random(), "
    "[1, 2, 3, 4, 5].randomItem(), new Date(2024, 0, 5, 10).toISOString(), new Date(0).getHours(), "
    "new Date(0).toString(), Date.parse('2024-01-05T10:00'), (1234.5).toLocaleString(), "
    "new Date(0).toLocaleString(), 'i'.toLocaleUpperCase(), "
    "new Intl.DateTimeFormat().resolvedOptions().timeZone] }}"
)


def test_time_comes_from_now_ms(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ [Date.now(), new Date().getTime(), Date()] }}") == [
        NOW_MS,
        NOW_MS,
        "Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated Universal Time)",
    ]


def test_random_is_seeded(engine: ExpressionEngine) -> None:
    seq = "={{ [Math.random(), Math.random(), Math.random()] }}"
    a = ev(engine, seq, random_seed=1)
    assert ev(engine, seq, random_seed=1) == a
    assert ev(engine, seq, random_seed=2) != a
    # Seeded per node and run, so unrelated evaluations before do not shift the sequence.
    ev(engine, "={{ Math.random() }}", random_seed=1, node_name="Other")
    assert ev(engine, seq, random_seed=1) == a
    assert ev(engine, seq, random_seed=1, run_index=1) != a
    assert all(0 <= x < 1 for x in a)


def test_same_inputs_same_outputs_in_fresh_engines() -> None:
    with ExpressionEngine() as one, ExpressionEngine() as two:
        assert ev(one, PROBE, random_seed=7) == ev(two, PROBE, random_seed=7)


def test_results_do_not_depend_on_host_time_zone_or_locale(engine: ExpressionEngine) -> None:
    script = (
        "import json, sys\n"
        "from n8n_runtime.expressions import ExpressionEngine\n"
        "from tests.n8n_runtime.expressions.support import ev\n"
        "with ExpressionEngine() as e:\n"
        f"    print(json.dumps(ev(e, {PROBE!r}, random_seed=7)))\n"
    )
    env = dict(os.environ, TZ="America/Los_Angeles", LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8")
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    here = ev(engine, PROBE, random_seed=7)
    assert json.loads(proc.stdout) == here
    assert here[6:] == [
        "2024-01-05T10:00:00.000Z",
        0,
        "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)",
        1704448800000,
        "1,234.5",
        "1/1/1970, 12:00:00 AM",
        "I",
        "UTC",
    ]


def test_no_state_leaks_between_nodes_or_runs() -> None:
    with ExpressionEngine() as eng:
        code(eng, "globalThis.leaked = 1; sloppyGlobal = 2; return []")
        assert ev(eng, "={{ [typeof leaked, typeof sloppyGlobal] }}") == ["undefined", "undefined"]
        code(eng, "Array.prototype.polluted = 1; return []")
        eng.reset()
        assert ev(eng, "={{ typeof [].polluted }}") == "undefined"
