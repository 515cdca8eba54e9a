"""The API key `hive up` gives its node host for the credential resolve endpoint.

A fresh key per `hive up`, the previous one revoked: the secret lives only in the node host's
environment. Role admin until the credential store defines a narrower "service" role.
"""

from __future__ import annotations

from sqlalchemy import select

from hive_core.auth.keys import create_api_key
from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.base import utcnow
from hive_core.db.models import ApiKey, UserRole

NODE_HOST_KEY_NAME = "node-host (hive up)"


async def rotate_node_host_key(database_url: str) -> str:
    """Revoke the previous node-host key of `hive up`, create a new one and return its secret."""
    engine = create_engine(database_url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session, session.begin():
            previous = await session.scalars(
                select(ApiKey).where(ApiKey.name == NODE_HOST_KEY_NAME, ApiKey.revoked_at.is_(None))
            )
            for row in previous:
                row.revoked_at = utcnow()
            new = await create_api_key(session, name=NODE_HOST_KEY_NAME, role=UserRole.ADMIN)
            return new.secret
    finally:
        await engine.dispose()


__all__ = ["NODE_HOST_KEY_NAME", "rotate_node_host_key"]
