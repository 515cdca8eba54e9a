"""n8n AI workflows for the tests: a trigger, a root, and sub-nodes wired over `ai_*` connections."""

from __future__ import annotations

from typing import Any

from tests.builders import node

LC = "@n8n/n8n-nodes-langchain."


def lc(
    name: str, kind: str, version: float, x: int = 0, *, notes: str | None = None, **parameters: Any
) -> dict[str, Any]:
    """A LangChain node (`@n8n/n8n-nodes-langchain.<kind>`)."""
    node: dict[str, Any] = {
        "name": name,
        "type": LC + kind,
        "typeVersion": version,
        "position": [x, 200],
        "parameters": parameters,
    }
    if notes is not None:
        node["notes"] = notes
    return node


# A core node (`n8n-nodes-base.<kind>`).
base = node


def ai_workflow(
    name: str,
    main: list[dict[str, Any]],
    subs: list[tuple[dict[str, Any], str, str]],
    *,
    workflow_id: str | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """`main` nodes chained one after another; `subs` are (sub-node, connection type, root name)."""
    connections: dict[str, Any] = {}
    for a, b in zip(main, main[1:], strict=False):
        connections[a["name"]] = {"main": [[{"node": b["name"], "type": "main", "index": 0}]]}
    for sub, ctype, root in subs:
        connections.setdefault(sub["name"], {}).setdefault(ctype, [[]])[0].append(
            {"node": root, "type": ctype, "index": 0}
        )
    workflow: dict[str, Any] = {
        "name": name,
        "nodes": main + [s for s, _, _ in subs],
        "connections": connections,
        "settings": {"executionOrder": "v1", **settings},
    }
    if workflow_id is not None:
        workflow["id"] = workflow_id
    return workflow


def code(name: str, js: str, x: int = 100) -> dict[str, Any]:
    """A Code node producing items from JavaScript."""
    return base(name, "code", 2, x, jsCode=js)


def output(snapshot: Any, node: str, index: int = 0) -> list[dict[str, Any]]:
    """The json of `node`'s items on output `index` in its last run."""
    return [item["json"] for item in snapshot.run_data[node][-1]["data"]["main"][index] or []]


def vector_store_workflow(
    name: str,
    store: dict[str, Any],
    model: str,
    splitter: dict[str, Any] | None = None,
    workflow_id: str | None = None,
) -> dict[str, Any]:
    """Manual Trigger → `store` (named "Store") with Embeddings Ollama, and for inserts the Default
    Data Loader (with `splitter` under it)."""
    subs = [(lc("Embed", "embeddingsOllama", 1, 300, model=model), "ai_embedding", "Store")]
    if store["parameters"].get("mode") == "insert":
        subs.append((lc("Loader", "documentDefaultDataLoader", 1, 300), "ai_document", "Store"))
    if splitter is not None:
        subs.append((splitter, "ai_textSplitter", "Loader"))
    return ai_workflow(name, [base("Start", "manualTrigger", 1), store], subs, workflow_id=workflow_id)
