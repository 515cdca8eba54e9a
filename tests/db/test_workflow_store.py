"""`hive workflows import` of a workflow that is already stored keeps the replaced version."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.workflow_store import import_workflows
from hive_core.workflow_versions import list_versions


def _export(greeting: str) -> dict[str, object]:
    return {
        "id": "wf-greet",
        "name": "Greet",
        "nodes": [
            {
                "name": "Start",
                "type": "n8n-nodes-base.manualTrigger",
                "typeVersion": 1,
                "position": [0, 0],
                "parameters": {},
            },
            {
                "name": "Say",
                "type": "n8n-nodes-base.set",
                "typeVersion": 3.4,
                "position": [200, 0],
                "parameters": {
                    "assignments": {
                        "assignments": [{"name": "greeting", "value": greeting, "type": "string"}]
                    }
                },
            },
        ],
        "connections": {"Start": {"main": [[{"node": "Say", "type": "main", "index": 0}]]}},
    }


async def test_reimport_makes_a_new_version_and_keeps_the_old(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        (first,) = await import_workflows(session, _export("hello"), activate=False)
        assert first.version == 1
    async with sessionmaker() as session:
        (second,) = await import_workflows(session, _export("bonjour"), activate=True)
        assert (second.id, second.version, second.active) == ("wf-greet", 2, True)
        (old,) = await list_versions(session, "wf-greet")
        assert old.version == 1
        assert "hello" in str(old.n8n_data)
        assert "bonjour" in str(second.n8n_data)
        assert second.plan is not None and second.plan["workflow_id"] == "wf-greet"
