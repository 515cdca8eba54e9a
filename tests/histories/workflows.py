"""The workflows whose recorded histories guard the interpreter's determinism."""

from __future__ import annotations

from typing import Any


def _node(name: str, kind: str, version: float, x: int, **parameters: Any) -> dict[str, Any]:
    return {"name": name, "type": f"n8n-nodes-base.{kind}", "typeVersion": version, "position": [x, 0],
            "parameters": parameters}  # fmt: skip


def _link(*pairs: tuple[str, str, int, int]) -> dict[str, Any]:
    connections: dict[str, Any] = {}
    for source, target, output, index in pairs:
        outputs = connections.setdefault(source, {"main": []})["main"]
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": "main", "index": index})
    return connections


def _tag(name: str, kind: str) -> dict[str, Any]:
    assignment = {"name": "kind", "value": kind, "type": "string"}
    return _node(name, "set", 3.4, 3, assignments={"assignments": [assignment]}, includeOtherFields=True)


EVEN = {
    "leftValue": "={{ $json.n % 2 }}",
    "rightValue": 0,
    "operator": {"type": "number", "operation": "equals"},
}
SUM = "return [{json: {sum: $input.all().reduce((a, i) => a + i.json.n, 0)}}];"

BRANCHES = {
    "name": "history-branches",
    "settings": {"executionOrder": "v1"},
    "nodes": [
        _node("Start", "manualTrigger", 1, 0),
        _node("Data", "code", 2, 1, jsCode="return [1, 2, 3, 4].map(n => ({json: {n}}));"),
        _node("Even?", "if", 2, 2, conditions={"conditions": [EVEN], "combinator": "and", "options": {}}),
        _tag("Even", "even"),
        _tag("Odd", "odd"),
        _node("Merge", "merge", 2.1, 4),
        _node("Pause", "wait", 1.1, 5, amount=1, unit="seconds"),
        _node("Sum", "code", 2, 6, jsCode=SUM),
    ],
    "connections": _link(
        ("Start", "Data", 0, 0), ("Data", "Even?", 0, 0), ("Even?", "Even", 0, 0), ("Even?", "Odd", 1, 0),
        ("Even", "Merge", 0, 0), ("Odd", "Merge", 0, 1), ("Merge", "Pause", 0, 0), ("Pause", "Sum", 0, 0),
    ),
}  # fmt: skip

RECORDED: dict[str, dict[str, Any]] = {"branches_wait": BRANCHES}


def _failing(node: dict[str, Any]) -> dict[str, Any]:
    # Retry On Fail (2 tries, 100 ms apart), then go on with the error as the node's output.
    retry = {"retryOnFail": True, "maxTries": 2, "waitBetweenTries": 100}
    return {**node, **retry, "onError": "continueRegularOutput"}


# Recorded while n8n's retries were Temporal attempts (the node's retry policy): replaying it
# checks that runs started then still finish the same way.
RETRIES = {
    "name": "history-retries",
    "settings": {"executionOrder": "v1"},
    "nodes": [
        _node("Start", "manualTrigger", 1, 0),
        _failing(_node("Throw", "code", 2, 1, jsCode="throw new Error('boom');")),
        # Port 9 (discard) is closed on loopback: the request is refused.
        _failing(_node("Refused", "httpRequest", 4.2, 2, url="http://127.0.0.1:9/", options={})),
        _tag("Done", "done"),
    ],
    "connections": _link(("Start", "Throw", 0, 0), ("Throw", "Refused", 0, 0), ("Refused", "Done", 0, 0)),
}  # fmt: skip

RECORDED["retries_legacy"] = RETRIES
