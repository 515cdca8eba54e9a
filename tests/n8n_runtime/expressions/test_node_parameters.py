"""NodeParameters: n8n's getNodeParameter, batched per parameter path."""

from __future__ import annotations

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.expressions import ExpressionEngine, NodeParameters
from tests.n8n_runtime.expressions.support import make_ctx

PARAMS = {
    "assignments": {
        "assignments": [
            {"name": "double", "value": "={{ $json.v * 2 }}", "type": "number"},
            {"name": "broken", "value": "={{ $json.missing.deep }}", "type": "string"},
        ]
    },
    "options": {"dotNotation": True},
    "literal": "=just text",
}


def test_get_and_raw(engine: ExpressionEngine) -> None:
    params = NodeParameters(engine, make_ctx([{"v": 1}, {"v": 2}, {"v": 3}], node_parameters=PARAMS))
    assert params.get("assignments.assignments[0].value", 2) == 6
    assert params.get("assignments.assignments[0]", 1) == {"name": "double", "value": 4, "type": "number"}
    assert params.get("options.dotNotation") is True
    assert params.get("literal") == "just text"
    assert params.get("nope", 0, "fallback") == "fallback"
    assert params.raw("assignments.assignments[0].value") == "={{ $json.v * 2 }}"
    assert params.raw("assignments.assignments[5]", "none") == "none"


def test_errors_surface_only_for_the_item_asked(engine: ExpressionEngine) -> None:
    ctx = make_ctx([{"v": 1, "missing": {"deep": "ok"}}, {"v": 2}], node_parameters=PARAMS, node_name="Set")
    params = NodeParameters(engine, ctx)
    assert params.get("assignments.assignments[1].value", 0) == "ok"
    with pytest.raises(ExpressionError) as info:
        params.get("assignments.assignments[1].value", 1)
    assert info.value.details["parameter"] == "assignments.assignments[1].value"
    assert info.value.details["item_index"] == 1
