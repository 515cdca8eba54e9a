"""The chat memory store on SQLite and PostgreSQL: order, window, sessions, unique positions."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.db.chat_memory import append_messages, recent_messages
from hive_core.db.models import ChatMemoryMessage
from tests.db.conftest import database_factory, database_url, engine, sessionmaker  # noqa: F401

Sessions = async_sessionmaker[AsyncSession]


async def test_append_and_read_back_in_order(sessionmaker: Sessions) -> None:  # noqa: F811
    async with sessionmaker() as session:
        await append_messages(session, "wf", "s1", [("human", "a"), ("ai", "b")])
        await append_messages(session, "wf", "s1", [("human", "c"), ("ai", "d")])
        await append_messages(session, "wf", "s2", [("human", "other")])
        await append_messages(session, "wf-2", "s1", [("human", "elsewhere")])
        await session.commit()
    async with sessionmaker() as session:
        assert await recent_messages(session, "wf", "s1", 10) == [
            ("human", "a"),
            ("ai", "b"),
            ("human", "c"),
            ("ai", "d"),
        ]
        assert await recent_messages(session, "wf", "s1", 2) == [("human", "c"), ("ai", "d")]
        assert await recent_messages(session, "wf", "s2", 10) == [("human", "other")]
        assert await recent_messages(session, "wf", "none", 10) == []
        assert await recent_messages(session, "wf", "s1", 0) == []


async def test_positions_are_unique_per_session(sessionmaker: Sessions) -> None:  # noqa: F811
    async with sessionmaker() as session:
        session.add(
            ChatMemoryMessage(workflow_key="wf", session_key="s", position=0, role="human", content="a")
        )
        await session.commit()
    with pytest.raises(IntegrityError):
        async with sessionmaker() as session:
            session.add(
                ChatMemoryMessage(workflow_key="wf", session_key="s", position=0, role="ai", content="b")
            )
            await session.commit()


async def test_a_repeated_write_appends_nothing(sessionmaker: Sessions) -> None:  # noqa: F811
    # An activity retried after its commit repeats its write id: the exchange is kept once.
    async with sessionmaker() as session:
        for _ in range(2):
            await append_messages(session, "wf", "s", [("human", "q"), ("ai", "a")], "run-1/Agent/0/0")
            await session.commit()
        await append_messages(session, "wf", "s", [("human", "q2"), ("ai", "a2")], "run-1/Agent/0/1")
        await session.commit()
    async with sessionmaker() as session:
        assert await recent_messages(session, "wf", "s", 10) == [
            ("human", "q"),
            ("ai", "a"),
            ("human", "q2"),
            ("ai", "a2"),
        ]
