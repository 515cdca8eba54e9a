"""Reading and appending chat memory (Window Buffer Memory) in Hive's database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models.chat_memory import ChatMemoryMessage


async def recent_messages(
    session: AsyncSession, workflow_key: str, session_key: str, limit: int
) -> list[tuple[str, str]]:
    """The last `limit` messages of a conversation as (role, content), oldest first."""
    if limit <= 0:
        return []
    rows = await session.execute(
        select(ChatMemoryMessage.role, ChatMemoryMessage.content)
        .where(ChatMemoryMessage.workflow_key == workflow_key, ChatMemoryMessage.session_key == session_key)
        .order_by(ChatMemoryMessage.position.desc())
        .limit(limit)
    )
    return [(role, content) for role, content in reversed(rows.all())]


async def append_messages(
    session: AsyncSession,
    workflow_key: str,
    session_key: str,
    messages: Sequence[tuple[str, str]],
    write_id: str | None = None,
) -> None:
    """Append (role, content) messages after the conversation's last one (caller commits).

    Two writers racing on one conversation collide on the unique position and one fails,
    rather than interleaving their exchanges. A write that already happened (same
    ``write_id``: an activity retried after its commit) adds nothing.
    """
    if write_id is not None:
        done = await session.scalar(
            select(ChatMemoryMessage.id).where(ChatMemoryMessage.write_id == write_id).limit(1)
        )
        if done is not None:
            return
    last = await session.scalar(
        select(func.max(ChatMemoryMessage.position)).where(
            ChatMemoryMessage.workflow_key == workflow_key, ChatMemoryMessage.session_key == session_key
        )
    )
    start = (last if last is not None else -1) + 1
    session.add_all(
        ChatMemoryMessage(
            workflow_key=workflow_key,
            session_key=session_key,
            position=start + offset,
            role=role,
            content=content,
            write_id=write_id,
        )
        for offset, (role, content) in enumerate(messages)
    )


async def replace_messages(
    session: AsyncSession, workflow_key: str, session_key: str, messages: Sequence[tuple[str, str]]
) -> None:
    """Make (role, content) `messages` the whole conversation (caller commits): the Chat Memory
    Manager's delete and override. Running it twice leaves the same conversation."""
    await session.execute(
        delete(ChatMemoryMessage).where(
            ChatMemoryMessage.workflow_key == workflow_key, ChatMemoryMessage.session_key == session_key
        )
    )
    session.add_all(
        ChatMemoryMessage(
            workflow_key=workflow_key, session_key=session_key, position=position, role=role, content=content
        )
        for position, (role, content) in enumerate(messages)
    )


__all__ = ["append_messages", "recent_messages", "replace_messages"]
