"""The first admin key of a new installation, created by the first `hive up`."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.auth.audit import record_audit
from hive_core.auth.keys import create_api_key
from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.models import ApiKey, User, UserRole

BOOTSTRAP_KEY_NAME = "bootstrap-admin"


async def ensure_bootstrap_key(sessions: async_sessionmaker[AsyncSession]) -> str | None:
    """Create an admin key if the database has no key and no user yet; return its secret.

    None when there already is a key or a user: the secret exists only in the output of the
    call that created it, so the caller must show it right away.
    """
    async with sessions() as session, session.begin():
        keys = await session.scalar(select(func.count()).select_from(ApiKey))
        users = await session.scalar(select(func.count()).select_from(User))
        if keys or users:
            return None
        new = await create_api_key(session, name=BOOTSTRAP_KEY_NAME, role=UserRole.ADMIN)
        record_audit(session, "hive up", "create", "api_key", new.row.id, name=new.row.name, role="admin")
        return new.secret


async def bootstrap_admin_key(database_url: str) -> str | None:
    """`ensure_bootstrap_key` on the (migrated) database at ``database_url``."""
    engine = create_engine(database_url)
    try:
        return await ensure_bootstrap_key(create_sessionmaker(engine))
    finally:
        await engine.dispose()


__all__ = ["BOOTSTRAP_KEY_NAME", "bootstrap_admin_key", "ensure_bootstrap_key"]
