"""Turn a presented token into a Principal, or None if it is unknown, expired or revoked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.auth.principal import Principal, PrincipalKind
from hive_core.auth.tokens import TokenKind, parse_token, token_matches
from hive_core.db.models import ApiKey, User, UserSession


async def authenticate(session: AsyncSession, token: str, *, now: datetime) -> Principal | None:
    """The principal ``token`` stands for at ``now``; None if it does not (any reason).

    Read-only: the caller records use (rate limit, last_used_at) in its own transaction.
    """
    parsed = parse_token(token)
    if parsed is None:
        return None
    if parsed.kind is TokenKind.API_KEY:
        return await _api_key_principal(session, parsed.prefix, parsed.token, now)
    return await _session_principal(session, parsed.prefix, parsed.token, now)


async def _api_key_principal(
    session: AsyncSession, prefix: str, token: str, now: datetime
) -> Principal | None:
    key = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or not token_matches(token, key.key_hash):
        return None
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    actor = f"key:{key.name}"
    if key.user_id is not None:
        owner = await session.get(User, key.user_id)
        if owner is None or not owner.is_active:
            return None  # a disabled user's keys stop working with them
        actor = owner.email
    return Principal(PrincipalKind.API_KEY, key.id, key.role, actor, key.user_id)


async def _session_principal(
    session: AsyncSession, prefix: str, token: str, now: datetime
) -> Principal | None:
    row = await session.scalar(select(UserSession).where(UserSession.prefix == prefix))
    if row is None or not token_matches(token, row.token_hash):
        return None
    if row.revoked_at is not None or row.expires_at <= now:
        return None
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return Principal(PrincipalKind.SESSION, row.id, user.role, user.email, user.id)


__all__ = ["authenticate"]
