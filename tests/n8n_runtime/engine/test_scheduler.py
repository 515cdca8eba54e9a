"""Scheduler features: pinned data, disabled nodes, executeOnce, alwaysOutputData, onError, loops."""

from __future__ import annotations

from n8n_runtime.engine import RunStatus
from n8n_runtime.nodes.control import CONTROL_NODES
from tests.n8n_runtime.engine.helpers import CODE, Counting, fake_code, node, output, run, workflow

TRIGGER = node("Trigger", "manualTrigger")
ITEMS = {"items": [{"n": 1}, {"n": 2}, {"n": 3}]}


async def test_linear_run_records_n8n_task_data() -> None:
    plan = workflow(
        [TRIGGER, node("Data", "code", 2, ITEMS), node("End", "noOp")], [("Trigger", "Data"), ("Data", "End")]
    )
    result = await run(plan)
    assert result.status is RunStatus.SUCCESS
    assert result.node_execution_order == ["Trigger", "Data", "End"]
    task = result.run_data["End"][0]
    assert task["executionStatus"] == "success"
    assert task["source"] == [{"previousNode": "Data", "previousNodeOutput": 0, "previousNodeRun": 0}]
    assert task["startTime"] >= 1000 and task["executionTime"] >= 0
    # The fake returns items without pairedItem; equal counts make the pairing unambiguous.
    assert [i["pairedItem"] for i in result.run_data["End"][0]["data"]["main"][0]] == [
        {"item": 0},
        {"item": 1},
        {"item": 2},
    ]
    assert result.last_node_executed == "End"


async def test_pinned_node_is_not_executed() -> None:
    counting = Counting({**CONTROL_NODES, CODE: fake_code})
    plan = workflow(
        [TRIGGER, node("Data", "code", 2, ITEMS), node("End", "noOp")],
        [("Trigger", "Data"), ("Data", "End")],
        pin_data={"Data": [{"pinned": True}]},
    )
    result = await run(plan, functions=counting.functions)
    assert "Data" not in counting.calls
    assert output(result, "Data") == [{"pinned": True}] and output(result, "End") == [{"pinned": True}]


async def test_disabled_node_passes_input_through() -> None:
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, ITEMS),
            node("Off", "code", 2, {"fail": "x"}, disabled=True),
            node("End", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "Off"), ("Off", "End")],
    )
    result = await run(plan)
    assert output(result, "Off") == ITEMS["items"] and output(result, "End") == ITEMS["items"]


async def test_execute_once_passes_only_the_first_item() -> None:
    plan = workflow(
        [TRIGGER, node("Data", "code", 2, ITEMS), node("Once", "code", 2, {"echo": True}, executeOnce=True)],
        [("Trigger", "Data"), ("Data", "Once")],
    )
    assert output(await run(plan), "Once") == [{"n": 1}]


async def test_empty_output_ends_the_branch_unless_always_output_data() -> None:
    condition = {"conditions": {"number": [{"value1": 1, "operation": "larger", "value2": 5}]}}
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, ITEMS),
            node("If", "if", 1, condition),
            node("Yes", "noOp"),
            node("No", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "If"), ("If", "Yes", 0), ("If", "No", 1)],
    )
    result = await run(plan)
    assert "Yes" not in result.run_data and len(output(result, "No") or []) == 3
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, ITEMS),
            node("If", "if", 1, condition, alwaysOutputData=True),
            node("Yes", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "If"), ("If", "Yes", 0)],
    )
    result = await run(plan)
    main = result.run_data["If"][0]["data"]["main"]
    assert main[0] == [{"json": {}, "pairedItem": [{"item": i, "input": 0} for i in range(3)]}]
    assert output(result, "Yes") == [{}]


async def test_stop_workflow_on_error() -> None:
    plan = workflow(
        [TRIGGER, node("Bad", "code", 2, {"fail": "broken"}), node("End", "noOp")],
        [("Trigger", "Bad"), ("Bad", "End")],
    )
    result = await run(plan)
    assert result.status is RunStatus.ERROR
    assert result.last_node_executed == "Bad" and result.error is not None
    assert result.error["message"] == "broken" and result.error["context"] == {"itemIndex": 0}
    task = result.run_data["Bad"][0]
    assert task["executionStatus"] == "error" and "data" not in task
    assert "End" not in result.run_data


async def test_stop_and_error_node_fails_the_run() -> None:
    plan = workflow(
        [TRIGGER, node("Stop", "stopAndError", 1, {"errorMessage": "halt"})], [("Trigger", "Stop")]
    )
    result = await run(plan)
    assert result.status is RunStatus.ERROR and result.error is not None and result.error["message"] == "halt"


async def test_continue_regular_output_passes_input_through() -> None:
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, ITEMS),
            node("Bad", "code", 2, {"fail": "nope"}, onError="continueRegularOutput"),
            node("End", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "Bad"), ("Bad", "End")],
    )
    result = await run(plan)
    assert result.status is RunStatus.SUCCESS
    task = result.run_data["Bad"][0]
    assert task["executionStatus"] == "error" and task["error"]["message"] == "nope"
    assert output(result, "End") == ITEMS["items"]


async def test_continue_error_output_routes_error_items() -> None:
    # Switch v3 in continue mode emits {"json": {"error": ...}} for the item it could not route.
    bad_rule = {
        "values": [
            {
                "conditions": {
                    "options": {"typeValidation": "strict"},
                    "conditions": [
                        {"leftValue": "x", "rightValue": 1, "operator": {"type": "number", "operation": "gt"}}
                    ],
                    "combinator": "and",
                }
            }
        ]
    }
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, {"items": [{"n": 1}]}),
            node("Route", "switch", 3, {"rules": bad_rule}, onError="continueErrorOutput"),
            node("Ok", "noOp"),
            node("Failed", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "Route"), ("Route", "Ok", 0), ("Route", "Failed", 1)],
    )
    result = await run(plan)
    assert "Ok" not in result.run_data
    failed = output(result, "Failed")
    assert failed is not None and failed[0]["error"].startswith("Wrong type")


async def test_split_in_batches_v3_loop() -> None:
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, {"items": [{"n": i} for i in range(5)]}),
            node("Loop", "splitInBatches", 3, {"batchSize": 2}),
            node("Body", "noOp"),
            node("Done", "noOp"),
        ],
        [("Trigger", "Data"), ("Data", "Loop"), ("Loop", "Done", 0), ("Loop", "Body", 1), ("Body", "Loop")],
    )
    result = await run(plan)
    assert result.status is RunStatus.SUCCESS
    assert len(result.run_data["Loop"]) == 4 and len(result.run_data["Body"]) == 3
    assert output(result, "Done") == [{"n": i} for i in range(5)]
    assert result.node_execution_order == [
        "Trigger",
        "Data",
        "Loop",
        "Body",
        "Loop",
        "Body",
        "Loop",
        "Body",
        "Loop",
        "Done",
    ]
    assert result.node_contexts["Loop"]["done"] is True


async def test_split_in_batches_v1_end_is_not_recorded() -> None:
    condition = {"conditions": {"boolean": [{"value1": False, "value2": True}]}}
    plan = workflow(
        [
            TRIGGER,
            node("Data", "code", 2, {"items": [{"n": 1}, {"n": 2}]}),
            node("Loop", "splitInBatches", 1, {"batchSize": 1}),
            node("Again", "if", 1, condition),
        ],
        [("Trigger", "Data"), ("Data", "Loop"), ("Loop", "Again"), ("Again", "Loop", 1)],
        order="v0",
    )
    result = await run(plan)
    # Two batches, then the third call returns null: no run is recorded for it.
    assert len(result.run_data["Loop"]) == 2


async def test_v0_and_v1_sibling_order() -> None:
    nodes = [
        node("Trigger", "manualTrigger", position=(0, 0)),
        node("A", "noOp", position=(200, 300)),
        node("B", "noOp", position=(200, 100)),
        node("A1", "noOp"),
        node("B1", "noOp"),
    ]
    edges = [("Trigger", "A"), ("Trigger", "B"), ("A", "A1"), ("B", "B1")]
    v1 = await run(workflow(nodes, edges, order="v1"))
    assert v1.node_execution_order == ["Trigger", "B", "B1", "A", "A1"]
    v0 = await run(workflow(nodes, edges, order="v0"))
    assert v0.node_execution_order == ["Trigger", "A", "B", "A1", "B1"]


async def test_v1_merge_runs_with_partial_data() -> None:
    condition = {"conditions": {"boolean": [{"value1": False, "value2": True}]}}
    nodes = [
        TRIGGER,
        node("If", "if", 1, condition),
        node("Other", "code", 2, {"items": [{"b": 1}]}),
        node("Merge", "merge", 2.1),
    ]
    edges = [("Trigger", "If"), ("Trigger", "Other"), ("If", "Merge", 0, 0), ("Other", "Merge", 0, 1)]
    result = await run(workflow(nodes, edges, order="v1"))
    assert output(result, "Merge") == [{"b": 1}]
    source = result.run_data["Merge"][0]["source"]
    assert source[0] is None and source[1]["previousNode"] == "Other"


async def test_max_node_runs_stops_a_run() -> None:
    plan = workflow([TRIGGER, node("A", "noOp"), node("B", "noOp")], [("Trigger", "A"), ("A", "B")])
    result = await run(plan, max_node_runs=2)
    assert result.status is RunStatus.ERROR and result.node_execution_order == ["Trigger", "A"]


async def test_trigger_items_reach_the_start_node() -> None:
    plan = workflow([node("Hook", "webhook", 2), node("End", "noOp")], [("Hook", "End")])
    result = await run(plan, trigger_items=[{"json": {"body": {"x": 1}}}])
    assert output(result, "End") == [{"body": {"x": 1}}]
