"""Polling triggers' static data in Hive's database, loaded before and saved after each poll."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from hive_core.db.models import TriggerStaticData
from hive_core.errors import ConfigError
from hive_core.temporal_errors import to_application_error


class TriggerStateKey(BaseModel):
    workflow_id: str
    node: str


class TriggerState(BaseModel):
    """A trigger node's static data; `found` False when no poll has saved any yet."""

    found: bool = False
    data: dict[str, Any] = Field(default_factory=dict)


class SaveTriggerStateInput(TriggerStateKey):
    data: dict[str, Any]


class TriggerStateActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None) -> None:
        self._sessions = sessions

    def _store(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            # Without the store a poll would forget what it saw and emit the same items again.
            raise to_application_error(ConfigError("this worker has no database for trigger state"))
        return self._sessions

    @activity.defn(name="hive.trigger_state.load")
    async def load_trigger_state(self, key: TriggerStateKey) -> TriggerState:
        """The static data the node's last poll saved."""
        async with self._store()() as session:
            row = await session.get(TriggerStaticData, (key.workflow_id, key.node))
        return TriggerState() if row is None else TriggerState(found=True, data=dict(row.data))

    @activity.defn(name="hive.trigger_state.save")
    async def save_trigger_state(self, request: SaveTriggerStateInput) -> None:
        """Store the node's static data after a poll changed it (idempotent: a retry writes the same)."""
        async with self._store()() as session, session.begin():
            row = await session.get(TriggerStaticData, (request.workflow_id, request.node))
            if row is None:
                session.add(
                    TriggerStaticData(workflow_id=request.workflow_id, node=request.node, data=request.data)
                )
            else:
                row.data = request.data


__all__ = ["SaveTriggerStateInput", "TriggerState", "TriggerStateActivities", "TriggerStateKey"]
