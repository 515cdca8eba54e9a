"""The API key `hive up` hands the n8n node host: role ``service``, one live key at a time.

Each call revokes the previous node-host keys and makes a new one, so restarting the stack never
piles up live keys; the secret is passed to the node host's environment (`HIVE_API_KEY`) and
shown nowhere else. A node host on another machine uses a key made by
`hive keys create --role service --name node-host`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.auth import create_api_key, record_audit
from hive_core.db.base import utcnow
from hive_core.db.models import ApiKey, UserRole

NODE_HOST_KEY_NAME = "node-host (hive up)"


async def issue_node_host_key(sessions: async_sessionmaker[AsyncSession], *, actor: str = "hive up") -> str:
    """A new ``service`` key for the node host (earlier ones from this function are revoked)."""
    async with sessions() as session, session.begin():
        now = utcnow()
        old = await session.scalars(
            select(ApiKey).where(
                ApiKey.name == NODE_HOST_KEY_NAME,
                ApiKey.role == UserRole.SERVICE,
                ApiKey.revoked_at.is_(None),
            )
        )
        for key in old:
            key.revoked_at = now
            record_audit(session, actor, "revoke", "api_key", key.id, name=key.name)
        new = await create_api_key(session, name=NODE_HOST_KEY_NAME, role=UserRole.SERVICE)
        record_audit(session, actor, "create", "api_key", new.row.id, name=new.row.name, role="service")
        return new.secret


__all__ = ["NODE_HOST_KEY_NAME", "issue_node_host_key"]
