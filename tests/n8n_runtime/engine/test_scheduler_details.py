"""Finer scheduler rules: legacy Merge handling, error-output merging, paired items, trigger outputs."""

from __future__ import annotations

from typing import Any

from n8n_runtime.engine import RunStatus
from n8n_runtime.engine.error_output import route_error_items
from n8n_runtime.engine.paired import assign_paired_items
from n8n_runtime.nodes.base import NodeOutput, NodeRun
from n8n_runtime.nodes.control import CONTROL_NODES
from tests.n8n_runtime.engine.helpers import CODE, fake_code, node, output, run, workflow

TRIGGER = node("Trigger", "manualTrigger")


async def test_v0_merge_gets_empty_second_input_when_branch_is_empty() -> None:
    # Legacy order hands an empty output to secondary inputs, so the Merge still runs.
    condition = {"conditions": {"boolean": [{"value1": False, "value2": True}]}}
    nodes = [
        TRIGGER,
        node("Data", "code", 2, {"items": [{"a": 1}]}),
        node("If", "if", 1, condition),
        node("Merge", "merge", 1),
    ]
    edges = [("Trigger", "Data"), ("Data", "If"), ("Data", "Merge", 0, 0), ("If", "Merge", 0, 1)]
    result = await run(workflow(nodes, edges, order="v0"))
    assert output(result, "Merge") == [{"a": 1}]


async def test_v0_force_runs_a_parent_that_would_never_deliver() -> None:
    # "Other" has no path from the trigger; legacy order runs it with one empty item.
    nodes = [TRIGGER, node("Other", "noOp"), node("Merge", "merge", 1)]
    edges = [("Trigger", "Merge", 0, 0), ("Other", "Merge", 0, 1)]
    result = await run(workflow(nodes, edges, order="v0"))
    assert result.node_execution_order == ["Trigger", "Other", "Merge"]
    assert output(result, "Merge") == [{}, {}]


async def test_v1_does_not_force_parents() -> None:
    nodes = [TRIGGER, node("Other", "noOp"), node("Merge", "merge", 1)]
    edges = [("Trigger", "Merge", 0, 0), ("Other", "Merge", 0, 1)]
    result = await run(workflow(nodes, edges, order="v1"))
    assert result.node_execution_order == ["Trigger", "Merge"]


async def test_v1_choose_branch_merge_waits_for_both_inputs() -> None:
    condition = {"conditions": {"boolean": [{"value1": False, "value2": True}]}}
    nodes = [TRIGGER, node("If", "if", 1, condition), node("Merge", "merge", 2, {"mode": "chooseBranch"})]
    edges = [("Trigger", "If"), ("If", "Merge", 0, 0), ("Trigger", "Merge", 0, 1)]
    result = await run(workflow(nodes, edges, order="v1"))
    assert "Merge" not in result.run_data


async def test_trigger_output_selects_the_webhook_branch() -> None:
    hook = node("Hook", "webhook", 2, {"multipleMethods": True, "httpMethod": ["GET", "POST"]})
    plan = workflow(
        [hook, node("Get", "noOp"), node("Post", "noOp")], [("Hook", "Get", 0), ("Hook", "Post", 1)]
    )
    result = await run(plan, trigger_items=[{"json": {"m": "post"}}], trigger_output=1)
    assert "Get" not in result.run_data and output(result, "Post") == [{"m": "post"}]


def _failing_items(run: NodeRun) -> NodeOutput:
    return [
        [
            {"json": {"ok": 1}, "pairedItem": {"item": 0}},
            {"json": {"error": "bad"}, "pairedItem": {"item": 1}},
        ]
    ]


async def test_continue_error_output_merges_the_input_item() -> None:
    functions = {**CONTROL_NODES, CODE: fake_code, "n8n-nodes-base.limit": _failing_items}
    nodes = [
        TRIGGER,
        node("Data", "code", 2, {"items": [{"a": 1}, {"a": 2}]}),
        node("Work", "limit", 1, onError="continueErrorOutput"),
        node("Ok", "noOp"),
        node("Err", "noOp"),
    ]
    edges = [("Trigger", "Data"), ("Data", "Work"), ("Work", "Ok", 0), ("Work", "Err", 1)]
    result = await run(workflow(nodes, edges), functions=functions)
    assert output(result, "Ok") == [{"ok": 1}]
    assert output(result, "Err") == [{"a": 2, "error": "bad"}]


def test_route_error_items_without_source_keeps_items() -> None:
    routed = route_error_items([[{"json": {"error": "x"}}], None], 2, None, {})
    assert routed == [[], [], [{"json": {"error": "x"}}]]


def test_assign_paired_items_rules() -> None:
    one_in: list[Any] = [[{"json": {}}]]
    outs: list[Any] = [[{"json": {"a": 1}}, {"json": {"a": 2}}]]
    assign_paired_items(outs, one_in)
    assert [i["pairedItem"] for i in outs[0]] == [{"item": 0}, {"item": 0}]
    many_in: list[Any] = [[{"json": {}}, {"json": {}}, {"json": {}}]]
    aggregated: list[Any] = [[{"json": {"n": 3}}]]
    assign_paired_items(aggregated, many_in)
    assert aggregated[0][0]["pairedItem"] == {"item": 0}
    ambiguous: list[Any] = [[{"json": {}}, {"json": {}}]]
    assign_paired_items(ambiguous, many_in)
    assert "pairedItem" not in ambiguous[0][0]


async def test_node_error_in_continue_mode_without_input_records_empty_output() -> None:
    plan = workflow(
        [
            TRIGGER,
            node("Bad", "code", 2, {"fail": "x"}, onError="continueRegularOutput"),
            node("End", "noOp"),
        ],
        [("Trigger", "Bad"), ("Bad", "End")],
    )
    result = await run(plan)
    assert result.status is RunStatus.SUCCESS
    assert output(result, "End") == [{}]
