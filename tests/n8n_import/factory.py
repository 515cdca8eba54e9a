"""Small builders for synthetic n8n workflow exports (plain dicts, as n8n writes them)."""

from __future__ import annotations

from typing import Any

BASE = "n8n-nodes-base."


def node(name: str, type_: str = "noOp", version: float = 1, **extra: Any) -> dict[str, Any]:
    """A node dict; `type_` without the `n8n-nodes-base.` prefix is completed."""
    full = type_ if "." in type_ else BASE + type_
    return {
        "id": f"id-{name}",
        "name": name,
        "type": full,
        "typeVersion": version,
        "position": [0, 0],
        "parameters": extra.pop("parameters", {}),
        **extra,
    }


def trigger(name: str = "Trigger") -> dict[str, Any]:
    return node(name, "manualTrigger")


def link(*pairs: tuple[str, str] | tuple[str, str, int] | tuple[str, str, int, int]) -> dict[str, Any]:
    """Connections from (source, target[, output_index[, input_index]]) tuples."""
    connections: dict[str, Any] = {}
    for pair in pairs:
        source, target = pair[0], pair[1]
        out_index = pair[2] if len(pair) > 2 else 0
        in_index = pair[3] if len(pair) > 3 else 0
        slots = connections.setdefault(source, {}).setdefault("main", [])
        while len(slots) <= out_index:
            slots.append([])
        slots[out_index].append({"node": target, "type": "main", "index": in_index})
    return connections


def workflow(
    nodes: list[dict[str, Any]], connections: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"name": extra.pop("name", "Test"), "nodes": nodes, "connections": connections or {}, **extra}


def chain(count: int) -> dict[str, Any]:
    """Trigger → Set 1 → ... → Set count."""
    nodes = [trigger()]
    pairs: list[tuple[str, str]] = []
    previous = "Trigger"
    for i in range(1, count + 1):
        name = f"Set {i}"
        nodes.append(
            node(
                name,
                "set",
                3.4,
                parameters={
                    "assignments": {
                        "assignments": [
                            {"id": str(i), "name": f"f{i}", "value": "={{ $json.x }}", "type": "string"}
                        ]
                    },
                    "options": {},
                },
            )
        )
        pairs.append((previous, name))
        previous = name
    return workflow(nodes, link(*pairs))
