"""Code / Function nodes: parameter mapping, logs, Python refusal (runner injected)."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from tests.n8n_runtime.nodes_data.helpers import execute


def _fake_runner(calls: list[tuple[str, str]]) -> Any:
    def runner(run: NodeRun, code: str, mode: str) -> tuple[list[Item], list[Any]]:
        calls.append((code, mode))
        return [{"json": {"n": len(run.items)}}], ["log line"]

    return runner


def test_code_node_maps_mode_and_collects_logs() -> None:
    calls: list[tuple[str, str]] = []
    extras: dict[str, Any] = {"code_runner": _fake_runner(calls)}
    params = {"mode": "runOnceForEachItem", "jsCode": "return $input.item;"}
    out = execute("code", 2, params, [{}, {}], extras=extras)
    assert out == [{"json": {"n": 2}}]
    assert calls == [("return $input.item;", "runOnceForEachItem")]


def test_code_logs_land_in_extras() -> None:
    from n8n_runtime.nodes.data import DATA_NODES
    from tests.n8n_runtime.nodes_data.helpers import make_run

    run = make_run("code", 1, {"jsCode": "x"}, [{}], extras={"code_runner": _fake_runner([])})
    DATA_NODES["n8n-nodes-base.code"](run)
    assert run.extras["logs"] == ["log line"]


def test_legacy_function_modes() -> None:
    calls: list[tuple[str, str]] = []
    extras = {"code_runner": _fake_runner(calls)}
    execute("function", 1, {"functionCode": "return items;"}, [{}], extras=extras)
    execute("functionItem", 1, {"functionCode": "return item;"}, [{}], extras=extras)
    assert calls == [("return items;", "function"), ("return item;", "functionItem")]


def test_python_without_an_interpreter_pool_is_a_clear_error() -> None:
    # The worker injects `python_runner` (tests/n8n_runtime/code_python run the real one).
    with pytest.raises(NodeError, match="Python Code nodes cannot run here"):
        execute("code", 2, {"language": "python", "pythonCode": "return []"}, [{}])
