"""API keys in the database: create (the secret is returned once), list, revoke."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.auth.tokens import TokenKind, hash_token, new_token
from hive_core.db.base import utcnow
from hive_core.db.models import ApiKey, UserRole
from hive_core.errors import NotFoundError


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: ``secret`` is the only time the full key exists outside its holder."""

    row: ApiKey
    secret: str


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    role: UserRole,
    expires_at: datetime | None = None,
    user_id: str | None = None,
) -> NewApiKey:
    """Add a key to ``session`` (flushed, not committed) and return it with its secret."""
    secret, prefix = new_token(TokenKind.API_KEY)
    row = ApiKey(
        name=name,
        role=role,
        prefix=prefix,
        key_hash=hash_token(secret),
        expires_at=expires_at,
        user_id=user_id,
    )
    session.add(row)
    await session.flush()
    return NewApiKey(row, secret)


async def list_api_keys(session: AsyncSession) -> Sequence[ApiKey]:
    """Every key, newest first (revoked and expired ones included: they explain the audit log)."""
    result = await session.execute(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id))
    return result.scalars().all()


async def revoke_api_key(session: AsyncSession, key_id: str) -> ApiKey:
    """Mark a key revoked (idempotent: a revoked key keeps its first revocation time)."""
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError(f"API key {key_id!r} does not exist", key_id=key_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


# Recording every use would add a write per request; once a minute is precise enough for "last used".
LAST_USED_RESOLUTION = timedelta(minutes=1)


async def touch_api_key(session: AsyncSession, key_id: str, *, now: datetime) -> None:
    """Record that a key was used at ``now`` (skipped if it was recorded less than a minute ago)."""
    await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - LAST_USED_RESOLUTION),
        )
        .values(last_used_at=now)
    )


__all__ = ["NewApiKey", "create_api_key", "list_api_keys", "revoke_api_key", "touch_api_key"]
