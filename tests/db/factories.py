"""Builders of valid rows shared by the database tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.db.models import Execution, Workflow

Sessions = async_sessionmaker[AsyncSession]

# Nested, unicode, floats, booleans and JSON null: what n8n data looks like.
N8N_DATA: dict[str, Any] = {
    "nodes": [
        {"id": "a1", "name": "Start ▶", "type": "n8n-nodes-base.manualTrigger", "position": [250, 300]},
        {"id": "b2", "name": "Ask Ollama", "parameters": {"temperature": 0.7, "stream": True, "stop": None}},
    ],
    "connections": {"Start ▶": {"main": [[{"node": "Ask Ollama", "type": "main", "index": 0}]]}},
    "settings": {},
}


def make_workflow(**overrides: Any) -> Workflow:
    return Workflow(**{"name": "summarise", "n8n_data": N8N_DATA, **overrides})


def make_execution(workflow: Workflow, key: str = "run-1", **overrides: Any) -> Execution:
    fields = {"workflow": workflow, "workflow_version": 1, "temporal_workflow_id": f"hive-{key}"}
    return Execution(**{**fields, **overrides})


async def count_rows(session: AsyncSession, model: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)
