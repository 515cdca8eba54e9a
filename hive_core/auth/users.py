"""Users with passwords, and the login sessions a password buys."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.auth.errors import AuthenticationError
from hive_core.auth.passwords import hash_password, verify_password
from hive_core.auth.tokens import TokenKind, hash_token, new_token
from hive_core.db.models import User, UserRole, UserSession
from hive_core.errors import ConflictError, NotFoundError


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown, so that a wrong email and a wrong password
    # take the same time (no user enumeration by timing). Built on first use, not at import.
    return hash_password("not a real password")


@dataclass(frozen=True)
class NewSession:
    row: UserSession
    token: str


async def create_user(session: AsyncSession, *, email: str, password: str | None, role: UserRole) -> User:
    """Add a user (flushed). ConflictError if the email is taken (emails compare lower-cased)."""
    normalized = email.strip().lower()
    taken = await session.scalar(select(func.count()).select_from(User).where(User.email == normalized))
    if taken:
        raise ConflictError(f"a user with email {normalized!r} already exists", email=normalized)
    user = User(email=normalized, role=role, password_hash=hash_password(password) if password else None)
    session.add(user)
    await session.flush()
    return user


async def list_users(session: AsyncSession) -> Sequence[User]:
    result = await session.execute(select(User).order_by(User.email))
    return result.scalars().all()


async def set_user_active(session: AsyncSession, user_id: str, *, active: bool, now: datetime) -> User:
    """Enable or disable a user; disabling also ends every open session of theirs."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user {user_id!r} does not exist", user_id=user_id)
    user.is_active = active
    if not active:
        await session.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return user


async def login(
    session: AsyncSession, *, email: str, password: str, now: datetime, timeout_s: int
) -> tuple[User, NewSession]:
    """Check the password and open a session that expires ``timeout_s`` from ``now``.

    Raises:
        AuthenticationError: unknown email, wrong password or disabled user (one message for
            all three, so the answer does not tell which emails exist).
    """
    user = await session.scalar(select(User).where(User.email == email.strip().lower()))
    ok = verify_password(password, user.password_hash if user else _dummy_hash())
    if user is None or not ok or not user.is_active:
        raise AuthenticationError("wrong email or password")
    token, prefix = new_token(TokenKind.SESSION)
    row = UserSession(
        user_id=user.id,
        prefix=prefix,
        token_hash=hash_token(token),
        expires_at=now + timedelta(seconds=timeout_s),
    )
    session.add(row)
    await session.flush()
    return user, NewSession(row, token)


async def end_session(session: AsyncSession, session_id: str, *, now: datetime) -> None:
    """Revoke one login session (logout)."""
    row = await session.get(UserSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


__all__ = ["NewSession", "create_user", "end_session", "list_users", "login", "set_user_active"]
