"""Split In Batches, Stop and Error, No Op and trigger pass-through."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.control import CONTROL_NODES
from tests.n8n_runtime.nodes_control.helpers import items, jsons, make_run, run_node

SIB = CONTROL_NODES["n8n-nodes-base.splitInBatches"]


def _loop(version: float, batch: int, data: list[Any], runs: int) -> list[Any]:
    state: dict[str, Any] = {}
    outputs = []
    feed = items(*data)
    for _ in range(runs):
        run = make_run(
            "splitInBatches",
            version,
            {"batchSize": batch},
            feed,
            state=state,
            extras={"source": [{"previousNode": "X", "previousNodeOutput": 0, "previousNodeRun": 0}]},
        )
        out = SIB(run)
        outputs.append(out)
        state = run.state
        feed = (out[1] if version >= 3 else out[0]) or [] if out else []
    return outputs


def test_v3_batches_then_done_with_processed_items() -> None:
    outputs = _loop(3, 2, [{"n": 1}, {"n": 2}, {"n": 3}], 3)
    assert [jsons(o[1]) for o in outputs[:2]] == [[{"n": 1}, {"n": 2}], [{"n": 3}]]
    assert jsons(outputs[2][0]) == [{"n": 1}, {"n": 2}, {"n": 3}] and outputs[2][1] == []
    assert outputs[1][1][0]["pairedItem"]["sourceOverwrite"]["previousNode"] == "X"


def test_v2_loop_then_done() -> None:
    outputs = _loop(2, 1, [{"n": 1}, {"n": 2}], 3)
    assert jsons(outputs[0][0]) == [{"n": 1}] and outputs[0][1] == []
    assert outputs[2][0] == [] and jsons(outputs[2][1]) == [{"n": 1}, {"n": 2}]


def test_v1_returns_nothing_when_done() -> None:
    outputs = _loop(1, 5, [{"n": 1}], 2)
    assert jsons(outputs[0][0]) == [{"n": 1}]
    assert outputs[1] == []


def test_reset_option_starts_over() -> None:
    state: dict[str, Any] = {"items": [], "processedItems": []}
    run = make_run(
        "splitInBatches", 3, {"batchSize": 1, "options": {"reset": True}}, items({"n": 7}), state=state
    )
    assert jsons(SIB(run)[1]) == [{"n": 7}]


def test_stop_and_error_message_and_object() -> None:
    with pytest.raises(NodeError, match="^boom$"):
        run_node("stopAndError", 1, {"errorMessage": "boom"}, items({}))
    with pytest.raises(NodeError) as info:
        run_node(
            "stopAndError",
            1,
            {"errorType": "errorObject", "errorObject": '{"code": 404, "description": "gone"}'},
            items({}),
        )
    assert info.value.message == "gone" and info.value.description == "gone"
    with pytest.raises(NodeError, match='^Error: {"code":404}$'):
        run_node("stopAndError", 1, {"errorType": "errorObject", "errorObject": '{"code": 404}'}, items({}))


@pytest.mark.parametrize("node_type", ["noOp", "manualTrigger", "start", "webhook", "scheduleTrigger"])
def test_pass_through(node_type: str) -> None:
    version = 2 if node_type == "webhook" else 1
    assert jsons(run_node(node_type, version, {}, items({"a": 1}))[0]) == [{"a": 1}]
