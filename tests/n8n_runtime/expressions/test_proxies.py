"""n8n's data proxies: $json, $input, $('Node'), $node, $items, $item, $prevNode, … ."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine
from tests.n8n_runtime.expressions.support import NOW_MS, make_ctx


def src(node: str, output: int = 0, run: int = 0) -> dict[str, Any]:
    return {"previousNode": node, "previousNodeOutput": output, "previousNodeRun": run}


def task(main: list[list[dict[str, Any]]], source: list[Any]) -> dict[str, Any]:
    return {
        "startTime": 0,
        "executionTime": 1,
        "executionStatus": "success",
        "source": source,
        "data": {"main": main},
    }


# Trigger → A (1 item becomes 3) → B (If: keeps A's items 0 and 2 on output 0) → C (current node).
RUN_DATA: dict[str, list[dict[str, Any]]] = {
    "Trigger": [task([[{"json": {"t": 1}}]], [])],
    "A": [
        task(
            [[{"json": {"a": i}, "pairedItem": {"item": 0}} for i in range(3)]],
            [src("Trigger")],
        )
    ],
    "B": [
        task(
            [
                [
                    {"json": {"b": 0}, "pairedItem": {"item": 0}},
                    {"json": {"b": 2}, "pairedItem": {"item": 2}},
                ],
                [{"json": {"b": 1}, "pairedItem": {"item": 1}}],
            ],
            [src("A")],
        ),
        task([[{"json": {"b": "second run"}, "pairedItem": {"item": 0}}], []], [src("A")]),
    ],
    "NoPairing": [task([[{"json": {"n": 1}}, {"json": {"n": 2}}]], [src("B")])],
    "Single": [task([[{"json": {"only": True}}]], [])],
}
NODES = {
    name: {"type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {"p": name}}
    for name in ["Trigger", "A", "B", "C", "NoPairing", "Single", "Never"]
}
NODES["B"]["parameters"] = {"conditions": {"x": 1}, "computed": "={{ $json.b }}"}


def c_ctx(item_index: int = 0, **kwargs: Any) -> ExpressionContext:
    b_out = RUN_DATA["B"][0]["data"]["main"][0]
    kwargs.setdefault("source", [src("B")])
    ctx = ExpressionContext(
        node_name="C",
        node_parameters={"field": "={{ $json.b * 10 }}", "raw": "x", "self": "={{ $parameter.self }}"},
        inputs=[[{"json": dict(i["json"])} for i in b_out]],
        run_data=RUN_DATA,
        workflow_nodes=NODES,
        now_ms=NOW_MS,
        output_index={"B": 0},
        node_context={"B": {"noItemsLeft": True}},
        **kwargs,
    )
    ctx.item_index = item_index
    return ctx


def ev(engine: ExpressionEngine, template: str, item_index: int = 0, **kwargs: Any) -> Any:
    return engine.evaluate(template, c_ctx(item_index, **kwargs))


def test_json_binary_and_item_index(engine: ExpressionEngine) -> None:
    items = [
        {
            "json": {"a": 1},
            "binary": {"data": {"data": "aGk=", "mimeType": "text/plain", "fileName": "f.txt"}},
        }
    ]
    ctx = make_ctx(items)
    assert engine.evaluate("={{ $json.a }}", ctx) == 1
    assert engine.evaluate("={{ $binary }}", ctx) == {"data": {"mimeType": "text/plain", "fileName": "f.txt"}}
    assert engine.evaluate("={{ $binary.data.fileName }}", ctx) == "f.txt"
    ctx2 = make_ctx([{"a": 1}, {"a": 2}])
    assert engine.resolve_parameters_batch("={{ $itemIndex }}:{{ $json.a }}", ctx2) == ["0:1", "1:2"]


def test_input(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $input.item.json.b }}", 1) == 2
    assert ev(engine, "={{ $input.all().map(i => i.json.b) }}") == [0, 2]
    assert ev(engine, "={{ $input.first().json.b }}") == 0
    assert ev(engine, "={{ $input.last().json.b }}") == 2
    assert ev(engine, "={{ $input.params.conditions }}") == {"x": 1}
    assert ev(engine, "={{ $input.context.noItemsLeft }}") is True
    # Input items are paired with their own position, like n8n does before running a node.
    assert ev(engine, "={{ $input.all()[1].pairedItem }}") == {"item": 1}


def test_named_node_item_follows_paired_items(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $('A').item.json.a }}", 0) == 0
    assert ev(engine, "={{ $('A').item.json.a }}", 1) == 2
    assert ev(engine, "={{ $('B').item.json.b }}", 1) == 2
    assert ev(engine, "={{ $('Trigger').item.json.t }}", 1) == 1
    assert ev(engine, "={{ $('A').itemMatching(1).json.a }}") == 2
    assert ev(engine, "={{ $('A').pairedItem().json.a }}", 1) == 2


def test_named_node_accessors(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $('A').all().map(i => i.json.a) }}") == [0, 1, 2]
    assert ev(engine, "={{ $('A').first().json.a }}") == 0
    assert ev(engine, "={{ $('A').last().json.a }}") == 2
    assert ev(engine, "={{ $('B').all(1, 0).map(i => i.json.b) }}") == [1]
    assert ev(engine, "={{ $('B').all(1) }}") == []
    assert ev(engine, "={{ $('B').all(0, 0).length }}") == 2
    # Without a run index the last run is used.
    assert ev(engine, "={{ $('B').first().json.b }}") == "second run"
    assert ev(engine, "={{ $('A').isExecuted }}") is True
    assert ev(engine, "={{ $('Never').isExecuted }}") is False
    assert ev(engine, "={{ $('B').params.conditions.x }}") == 1
    assert ev(engine, "={{ $('B').context.noItemsLeft }}") is True


def test_legacy_node_items_and_item(engine: ExpressionEngine) -> None:
    # $node is positional (same item index in the other node), not paired.
    assert ev(engine, '={{ $node["A"].json.a }}', 1) == 1
    assert ev(engine, "={{ $node.A.json.a }}", 2) == 2
    assert ev(engine, "={{ $node['B'].runIndex }}") == 1
    assert ev(engine, "={{ $node['B'].parameter.conditions }}") == {"x": 1}
    assert ev(engine, "={{ $node['B'].context['noItemsLeft'] }}") is True
    assert ev(engine, "={{ $items().length }}") == 2
    assert ev(engine, "={{ $items('A').length }}") == 3
    assert ev(engine, "={{ $items('B', 1, 0)[0].json.b }}") == 1
    assert ev(engine, "={{ $item(2).$node['A'].json.a }}") == 2
    assert ev(engine, "={{ $item(1).$json.b }}") == 2


def test_prev_node_workflow_execution_env_vars(engine: ExpressionEngine) -> None:
    ctx = c_ctx(
        workflow={"id": "wf1", "name": "My flow", "active": True},
        execution_id="exec-9",
        execution_mode="trigger",
        resume_url="http://hive/resume/exec-9",
        env={"ALLOWED": "yes"},
        vars={"region": "eu"},
        node_version=2.1,
    )
    assert engine.evaluate("={{ $prevNode }}", ctx) == {"name": "B", "outputIndex": 0, "runIndex": 0}
    assert engine.evaluate("={{ [$workflow.id, $workflow.name, $workflow.active] }}", ctx) == [
        "wf1",
        "My flow",
        True,
    ]
    assert engine.evaluate("={{ $execution.id + ' ' + $execution.mode }}", ctx) == "exec-9 production"
    assert engine.evaluate("={{ $execution.resumeUrl }}", ctx) == "http://hive/resume/exec-9"
    assert engine.evaluate("={{ $mode }}", ctx) == "trigger"
    assert engine.evaluate("={{ [$env.ALLOWED, $env.HOME] }}", ctx) == ["yes", None]
    assert engine.evaluate("={{ $vars.region }}", ctx) == "eu"
    assert engine.evaluate("={{ $nodeVersion }}", ctx) == 2.1
    assert engine.evaluate("={{ $execution.mode }}", c_ctx()) == "test"


def test_custom_data_round_trips(engine: ExpressionEngine) -> None:
    ctx = c_ctx(custom_data={"seen": "1"})
    assert engine.evaluate("={{ $execution.customData.get('seen') }}", ctx) == "1"
    engine.evaluate("={{ $execution.customData.set('k', 2) }}", ctx)
    assert ctx.custom_data == {"seen": "1", "k": "2"}


def test_parameter(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $parameter.raw }}") == "x"
    assert ev(engine, "={{ $parameter.field }}", 1) == 20
    assert ev(engine, "={{ $parameter['missing'] }}") is None
    assert ev(engine, "={{ $parameter.self }}") is None


def test_helpers(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $if($json.b > 1, 'big', 'small') }}", 1) == "big"
    assert ev(
        engine, "={{ [$ifEmpty('', 'd'), $ifEmpty([], 'd'), $ifEmpty({}, 'd'), $ifEmpty(0, 'd')] }}"
    ) == [
        "d",
        "d",
        "d",
        0,
    ]
    assert ev(engine, "={{ [$max(1, 5, 3), $min(4, 2), max(1, 2), min(3, 1)] }}") == [5, 2, 2, 1]
    assert ev(engine, "={{ numberList(1, 3) }}") == [1, 2, 3]
    assert ev(engine, "={{ zip(['a', 'b'], [1, 2]) }}") == {"a": 1, "b": 2}


def test_jmespath(engine: ExpressionEngine) -> None:
    data = "{people: [{name: 'a', age: 30, tags: ['x']}, {name: 'b', age: 20, tags: ['y', 'z']}], m: {k: 1}}"
    cases = {
        "people[0].name": "a",
        "people[-1].age": 20,
        "people[*].name": ["a", "b"],
        "people[?age > `25`].name": ["a"],
        "people[].tags[]": ["x", "y", "z"],
        "people[:1].name": ["a"],
        "length(people)": 2,
        "max_by(people, &age).name": "a",
        "sort_by(people, &age)[0].name": "b",
        "people[*].{n: name, a: age}": [{"n": "a", "a": 30}, {"n": "b", "a": 20}],
        "join(', ', people[*].name)": "a, b",
        "m.*": [1],
        "people | [0].name": "a",
        "contains(people[*].name, 'b') && !contains(people[*].name, 'c')": True,
        "sum(people[*].age)": 50,
        "keys(m)": ["k"],
    }
    for query, expected in cases.items():
        assert ev(engine, f'={{{{ $jmespath({data}, "{query}") }}}}') == expected, query


def test_now_and_today(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $now.toISO() }}") == "2023-11-14T17:13:20.000-05:00"
    assert ev(engine, "={{ $today.toISO() }}") == "2023-11-14T00:00:00.000-05:00"
    assert ev(engine, "={{ $now.toMillis() }}") == NOW_MS
    assert ev(engine, "={{ $now.zoneName }}", timezone="Europe/Berlin") == "Europe/Berlin"


def test_run_data_is_pushed_on_demand(engine: ExpressionEngine) -> None:
    # A dynamic node name is not visible to the static scan; V8 asks for it and retries.
    assert ev(engine, "={{ $(['A'][0]).all().length }}") == 3
    assert ev(engine, "={{ $items(['Tri', 'gger'].join('')).length }}") == 1


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("={{ $('Nope').first() }}", "Referenced node doesn't exist"),
        ("={{ $('Never').first() }}", "Node 'Never' hasn't been executed"),
        ("={{ $('Never').item }}", "Node 'Never' hasn't been executed"),
        ("={{ $() }}", r"When calling \$\(\), please specify a node"),
        ("={{ $('A').itemMatching() }}", r"Missing item index for \.itemMatching\(\)"),
        ("={{ $('B').all(5) }}", 'Node "B" has no branch with index 5.'),
        ("={{ $('B').all(0, 7) }}", 'Run 7 of node "B" not found'),
        ("={{ $node['A'].json }}", '"A" node has 3 item\\(s\\) but you\'re trying to access item 3'),
    ],
)
def test_proxy_errors(engine: ExpressionEngine, template: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message) as info:
        ev(engine, template, 3 if "$node" in template else 0)
    assert info.value.details["node"] == "C"


def test_missing_paired_items(engine: ExpressionEngine) -> None:
    nop = RUN_DATA["NoPairing"][0]["data"]["main"][0]
    ctx = ExpressionContext(
        node_name="D",
        inputs=[[{"json": dict(i["json"])} for i in nop]],
        run_data=RUN_DATA,
        source=[src("NoPairing")],
    )
    with pytest.raises(
        ExpressionError, match="Paired item data for item from node 'NoPairing' is unavailable"
    ):
        engine.evaluate("={{ $('A').item.json.a }}", ctx)


def test_single_item_fallback_when_lineage_is_lost(engine: ExpressionEngine) -> None:
    ctx = ExpressionContext(
        node_name="D",
        inputs=[[{"json": {"n": 1}}, {"json": {"n": 2}}]],
        run_data=RUN_DATA,
        source=[src("NoPairing")],
    )
    ctx.item_index = 1
    assert engine.evaluate("={{ $('Single').item.json.only }}", ctx) is True


def test_on_demand_push_does_not_shift_random_values(engine: ExpressionEngine) -> None:
    # The computed name forces a re-push and a restart; values must equal the direct case.
    dynamic = engine.resolve_parameters_batch("={{ [Math.random(), $(['A'][0]).all().length] }}", c_ctx())
    direct = engine.resolve_parameters_batch("={{ [Math.random(), $('A').all().length] }}", c_ctx())
    assert dynamic == direct
    assert dynamic[0][0] != dynamic[1][0]
