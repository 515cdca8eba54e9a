"""Graph building: multi-output nodes, null slots, sub-nodes, reachability and loop cycles."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import Edge, Source, compile_export
from tests.n8n_import.factory import link, node, trigger, workflow


def test_if_true_false_outputs() -> None:
    data = workflow(
        [trigger(), node("If", "if", 2), node("Yes"), node("No")],
        link(("Trigger", "If"), ("If", "Yes", 0), ("If", "No", 1)),
    )
    plan = compile_export(data)[0]
    if_node = plan.nodes["If"]
    assert if_node.output_count == 2
    assert plan.children("If", 0) == [Edge(node="Yes")]
    assert plan.children("If", 1) == [Edge(node="No")]
    assert plan.children("If", 5) == []
    assert plan.parents("No") == ["If"]
    assert plan.nodes["No"].input_sources == [[Source(node="If", output_index=1)]]


def test_null_and_empty_slots_keep_output_indices() -> None:
    conns: dict[str, Any] = {
        "Trigger": {"main": [[{"node": "Switch", "type": "main", "index": 0}]]},
        "Switch": {"main": [None, [], [{"node": "Third", "type": "main", "index": 0}], None]},
    }
    data = workflow([trigger(), node("Switch", "switch", 1), node("Third")], conns)
    plan = compile_export(data)[0]
    assert plan.nodes["Switch"].output_count == 4
    assert plan.children("Switch", 2) == [Edge(node="Third")]
    assert plan.children("Switch", 0) == [] and plan.children("Switch", 3) == []


def test_merge_inputs_and_parents() -> None:
    data = workflow(
        [trigger(), node("A"), node("B"), node("Merge", "merge", 3, parameters={"numberInputs": 3})],
        link(("Trigger", "A"), ("Trigger", "B"), ("A", "Merge", 0, 0), ("B", "Merge", 0, 2)),
    )
    merge = compile_export(data)[0].nodes["Merge"]
    assert merge.input_count == 3
    assert merge.parents == ["A", "B"]
    assert merge.input_sources == [[Source(node="A")], [], [Source(node="B")]]


def test_error_output_is_appended() -> None:
    data = workflow(
        [
            trigger(),
            node("HTTP", "httpRequest", 4.2, parameters={"url": "https://x"}, onError="continueErrorOutput"),
            node("Ok"),
            node("Failed"),
        ],
        link(("Trigger", "HTTP"), ("HTTP", "Ok", 0), ("HTTP", "Failed", 1)),
    )
    http = compile_export(data)[0].nodes["HTTP"]
    assert (http.output_count, http.error_output_index) == (2, 1)
    assert http.main_outputs == [[Edge(node="Ok")], [Edge(node="Failed")]]


@pytest.mark.parametrize(
    ("type_", "version", "parameters", "expected"),
    [
        ("switch", 3, {}, 1),  # n8n default: one rule
        ("switch", 3.2, {"rules": {"values": [{}, {}, {}]}}, 3),
        ("switch", 3.2, {"rules": {"values": [{}, {}]}, "options": {"fallbackOutput": "extra"}}, 3),
        ("switch", 3, {"mode": "expression", "numberOutputs": 6}, 6),
        ("switch", 2, {"rules": {"rules": [{}, {}]}}, 2),
        ("switch", 2, {"mode": "expression"}, 4),
        ("filter", 1, {}, 1),
        ("filter", 2, {}, 2),
        ("splitInBatches", 1, {}, 1),
        ("splitInBatches", 2, {}, 2),
        ("splitInBatches", 3, {}, 2),
        ("stopAndError", 1, {}, 0),
        ("respondToWebhook", 1.4, {"enableResponseOutput": True}, 2),
        ("respondToWebhook", 1.1, {}, 1),
    ],
)
def test_output_counts(type_: str, version: float, parameters: dict[str, Any], expected: int) -> None:
    data = workflow([trigger(), node("N", type_, version, parameters=parameters)], link(("Trigger", "N")))
    assert compile_export(data)[0].nodes["N"].output_count == expected


def test_expression_output_count_falls_back_to_connections() -> None:
    params = {"mode": "expression", "numberOutputs": "={{ 2 + 1 }}"}
    data = workflow(
        [trigger(), node("S", "switch", 3, parameters=params), node("X")],
        link(("Trigger", "S"), ("S", "X", 2)),
    )
    assert compile_export(data)[0].nodes["S"].output_count == 3


def test_connection_from_missing_output_is_dropped_with_warning() -> None:
    data = workflow([trigger(), node("A"), node("B")], link(("Trigger", "A"), ("A", "B", 1)))
    plan = compile_export(data)[0]
    assert plan.nodes["A"].main_outputs == [[]]
    assert any(d.node == "A" and "output 1" in d.message for d in plan.diagnostics)


def test_split_in_batches_cycle_is_allowed() -> None:
    data = workflow(
        [trigger(), node("Loop", "splitInBatches", 3), node("Work", "set", 3.4), node("Done")],
        link(("Trigger", "Loop"), ("Loop", "Done", 0), ("Loop", "Work", 1), ("Work", "Loop")),
    )
    plan = compile_export(data)[0]
    assert plan.children("Loop", 1) == [Edge(node="Work")]
    assert plan.parents("Loop") == ["Trigger", "Work"]


def test_cycle_beside_a_loop_node_is_rejected() -> None:
    # Work ↔ Fix never passes through Loop, even though Loop is in the same component.
    data = workflow(
        [trigger(), node("Loop", "splitInBatches", 3), node("Work"), node("Fix"), node("Done")],
        link(
            ("Trigger", "Loop"),
            ("Loop", "Done", 0),
            ("Loop", "Work", 1),
            ("Work", "Loop"),
            ("Work", "Fix"),
            ("Fix", "Work"),
        ),
    )
    with pytest.raises(CompileError) as info:
        compile_export(data)
    assert "Work → Fix → Work" in info.value.message


def test_unreachable_node_is_a_warning() -> None:
    data = workflow(
        [trigger(), node("A"), node("Island"), node("After")], link(("Trigger", "A"), ("Island", "After"))
    )
    plan = compile_export(data)[0]
    warned = {d.node for d in plan.diagnostics if "not reachable" in d.message}
    assert warned == {"Island", "After"}
    assert plan.start_nodes == ["Trigger"]


def test_v0_runs_the_missing_branch_of_a_merge() -> None:
    # n8n's legacy order executes the parents of a Merge input that got no data.
    nodes = [trigger(), node("A"), node("Merge", "merge", 2), node("Side")]
    conns = link(("Trigger", "A"), ("A", "Merge", 0, 0), ("Side", "Merge", 0, 1))
    v0 = compile_export(workflow(nodes, conns))[0]
    assert not [d for d in v0.diagnostics if "not reachable" in d.message]
    v1 = compile_export(workflow(nodes, conns, settings={"executionOrder": "v1"}))[0]
    assert [d.node for d in v1.diagnostics if "not reachable" in d.message] == ["Side"]


def test_sub_nodes_are_kept_separately() -> None:
    conns = link(("Trigger", "Root"))
    conns["Model"] = {"ai_languageModel": [[{"node": "Root", "type": "ai_languageModel", "index": 0}]]}
    conns["Tool"] = {"ai_tool": [[{"node": "Root", "type": "ai_tool", "index": 0}]]}
    plan = compile_export(workflow([trigger(), node("Root"), node("Model"), node("Tool")], conns))[0]
    assert plan.nodes["Root"].sub_nodes == {"ai_languageModel": ["Model"], "ai_tool": ["Tool"]}
    assert plan.nodes["Root"].parents == ["Trigger"]
    assert plan.start_nodes == ["Trigger"]
    assert not [d for d in plan.diagnostics if "not reachable" in d.message]


def test_sticky_notes_are_dropped() -> None:
    data = workflow(
        [trigger(), node("Note", "stickyNote", parameters={"content": "## hi"}), node("A")],
        link(("Trigger", "A")),
    )
    plan = compile_export(data)[0]
    assert list(plan.nodes) == ["Trigger", "A"]


def test_trigger_with_incoming_connection_passes_items_through() -> None:
    data = workflow([trigger(), node("A"), node("Hook", "webhook", 2)], link(("Trigger", "A"), ("A", "Hook")))
    plan = compile_export(data)[0]
    assert plan.start_nodes == ["Trigger", "Hook"]
    assert plan.nodes["Hook"].input_count == 1
