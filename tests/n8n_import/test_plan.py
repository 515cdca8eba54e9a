"""The plan as a payload: serialisable, frozen, complete; large workflows compile correctly."""

from __future__ import annotations

import pydantic
import pytest

from hive_core.errors import CompileError
from n8n_import import REGISTRY, NodeKind, Plan, compile_export, get_spec, supported_types
from tests.n8n_import.factory import chain, link, node, trigger, workflow


def test_plan_round_trips_through_json() -> None:
    data = workflow(
        [trigger(), node("If", "if", 2.2), node("Yes", "set", 3.4, parameters={"x": "={{ $json.a }}"})],
        link(("Trigger", "If"), ("If", "Yes", 0)),
        pinData={"Yes": [{"a": 1}]},
        settings={"executionOrder": "v1"},
    )
    plan = compile_export(data)[0]
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan
    assert again.nodes["If"].kind is NodeKind.CONTROL
    assert again.nodes["Yes"].parameters == {"x": "={{ $json.a }}"}  # expressions kept verbatim
    assert again.nodes["If"].type_version == 2.2 and isinstance(again.nodes["Trigger"].type_version, int)


def test_plan_is_frozen() -> None:
    plan = compile_export(workflow([trigger()]))[0]
    with pytest.raises(pydantic.ValidationError):
        plan.name = "changed"


def test_node_order_and_start_nodes_follow_the_export() -> None:
    data = workflow(
        [node("B"), trigger("T2"), node("A"), trigger("T1")],
        link(("T2", "B"), ("T1", "A")),
    )
    plan = compile_export(data)[0]
    assert list(plan.nodes) == ["B", "T2", "A", "T1"]
    assert plan.start_nodes == ["T2", "T1"]


def _kind(name: str) -> NodeKind:
    spec = get_spec("n8n-nodes-base." + name)
    assert spec is not None
    return spec.kind


def test_registry_kinds() -> None:
    assert _kind("httpRequest") is NodeKind.ACTIVITY
    assert _kind("set") is NodeKind.DATA
    assert _kind("webhook") is NodeKind.TRIGGER
    assert _kind("if") is NodeKind.CONTROL
    assert REGISTRY["n8n-nodes-base.splitInBatches"].loop
    assert get_spec("n8n-nodes-base.slack") is None
    assert len(supported_types()) == len(REGISTRY)


def test_thousand_node_chain() -> None:
    plan = compile_export(chain(1000))[0]
    assert len(plan.nodes) == 1001
    assert plan.children("Set 500", 0)[0].node == "Set 501"
    assert plan.parents("Set 1000") == ["Set 999"]
    assert plan.diagnostics == []


def test_thousand_node_fan_out_and_fan_in() -> None:
    branches = [node(f"B{i}", "set", 3.4) for i in range(1000)]
    merge = node("Merge", "merge", 3, parameters={"numberInputs": 2})
    pairs = [("Trigger", f"B{i}") for i in range(1000)] + [(f"B{i}", "Merge", 0, i % 2) for i in range(1000)]
    plan = compile_export(workflow([trigger(), *branches, merge], link(*pairs)))[0]
    assert len(plan.children("Trigger")) == 1000
    assert len(plan.parents("Merge")) == 1000
    assert [len(s) for s in plan.nodes["Merge"].input_sources] == [500, 500]


def test_five_thousand_node_chain_does_not_recurse() -> None:
    data = chain(5000)
    data["connections"]["Set 5000"] = {"main": [[{"node": "Set 1", "type": "main", "index": 0}]]}
    with pytest.raises(CompileError, match="cycle without a loop node"):
        compile_export(data)
