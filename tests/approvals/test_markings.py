"""The compiler reads approval markings from node notes and workflow tags (pure, no Temporal)."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_import.plan import ApprovalMark
from tests.ai.builders import ai_workflow, base, lc
from tests.approvals.gated import gated_workflow


def _diagnostics(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(CompileError) as raised:
        compile_export(workflow)
    diagnostics: list[dict[str, Any]] = raised.value.details["diagnostics"]
    return diagnostics


@pytest.mark.parametrize(
    ("marking", "expected"),
    [
        ("hive: approval", ApprovalMark()),
        ("HIVE : Approval", ApprovalMark()),
        ("hive: approval timeout=90", ApprovalMark(timeout_s=90)),
        ("hive: approval timeout=30s", ApprovalMark(timeout_s=30)),
        ("hive: approval timeout=15m", ApprovalMark(timeout_s=900)),
        ("hive: approval timeout=1.5h", ApprovalMark(timeout_s=5400)),
        ("hive: approval timeout = 2d", ApprovalMark(timeout_s=172_800)),
    ],
)
def test_node_marking_in_notes(marking: str, expected: ApprovalMark) -> None:
    plan = compile_export(gated_workflow(marking))[0]
    assert plan.nodes["Send"].approval == expected
    assert plan.nodes["After"].approval is None
    assert plan.approval is None


def test_unmarked_workflow_has_no_gates() -> None:
    plan = compile_export(gated_workflow(marking=None, tags=[{"name": "billing"}]))[0]
    assert plan.approval is None
    assert all(node.approval is None for node in plan.nodes.values())


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ({"id": "3", "name": "hive:approval"}, ApprovalMark()),
        ("hive:approval", ApprovalMark()),
        ({"name": "hive:approval timeout=2h"}, ApprovalMark(timeout_s=7200)),
    ],
)
def test_workflow_marking_in_tags(tag: Any, expected: ApprovalMark) -> None:
    plan = compile_export(gated_workflow(marking=None, tags=[{"name": "billing"}, tag]))[0]
    assert plan.approval == expected


@pytest.mark.parametrize(
    ("marking", "fragment"),
    [
        ("hive: approve", '"hive: approve" is not an approval marking'),
        ("hive: approval please", "is not an approval marking"),
        ("hive: approval timeout=soon", 'approval timeout "soon" is not a positive duration'),
        ("hive: approval timeout=0", 'approval timeout "0" is not a positive duration'),
        ("hive: approval\nhive: approval timeout=5m", "notes carry two different approval markings"),
    ],
)
def test_bad_node_marking_is_a_diagnostic_naming_the_node(marking: str, fragment: str) -> None:
    [diagnostic] = _diagnostics(gated_workflow(marking))
    assert diagnostic["node"] == "Send"
    assert diagnostic["field"] == "notes"
    assert fragment in diagnostic["message"]


def test_bad_workflow_tag_is_a_diagnostic() -> None:
    [diagnostic] = _diagnostics(gated_workflow(marking=None, tags=[{"name": "hive:approval timeout=x"}]))
    assert diagnostic["field"] == "tags"
    assert 'approval timeout "x"' in diagnostic["message"]


def test_approval_line_does_not_disturb_routing_pins() -> None:
    plan = compile_export(gated_workflow("hive: approval\nhive: agent=acacia"))[0]
    node = plan.nodes["Send"]
    assert node.approval == ApprovalMark()
    assert node.route is not None and node.route.agent == "acacia"


def test_marking_on_an_ai_sub_node_is_refused() -> None:
    model = lc("Model", "lmChatOllama", 1, notes="hive: approval", model="llama3.2")
    workflow = ai_workflow(
        "ai",
        [base("Start", "manualTrigger", 1), lc("Chain", "chainLlm", 1.5, x=200)],
        [(model, "ai_languageModel", "Chain")],
    )
    [diagnostic] = _diagnostics(workflow)
    assert diagnostic["node"] == "Model"
    assert "AI sub-node cannot be gated" in diagnostic["message"]
    workflow["nodes"][1]["notes"] = "hive: approval"
    workflow["nodes"][2]["notes"] = None
    assert compile_export(workflow)[0].nodes["Chain"].approval == ApprovalMark()
